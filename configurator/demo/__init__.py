"""The demo catalogue (realistic Hainan items, published to the province) and benchmark rows."""
from tongban.configurator.demo.big import big_catalogue_rows
from tongban.configurator.demo.items import demo_items, theme_name, theme_names
from tongban.configurator.demo.seed import seed_demo_catalogue

__all__ = ["big_catalogue_rows", "demo_items", "seed_demo_catalogue", "theme_name", "theme_names"]
