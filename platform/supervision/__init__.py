"""电子监察 (electronic supervision): rules, the tick, alerts and their disposition, vertical intake, 好差评,
statistics and performance evaluation. Domain code only: no web, no GraphQL."""
