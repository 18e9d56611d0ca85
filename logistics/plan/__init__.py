"""The logistics plan in stages: who is there and attends what (attendance), where each
guest sleeps (lodging), each guest's day path (days), legs and vehicle seats (rides), meal
counts (meals) and what overflows a hotel or a restaurant (capacity). Each stage takes plain
data and returns data plus coded warnings (``warnings``); ``logistics.selectors`` reads the
database and runs them in order."""
