"""Construction projects (工程建设项目): five-stage parallel approval, 容缺受理, 告知承诺, 区域评估 and the
investment negative list, built on the approval engine's numbers and calendar, the configurator's items and
the sharing center's data dictionary and item chains."""
