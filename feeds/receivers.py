"""Receivers of the lower apps' signals (connected in FeedsConfig.ready): the feed state
follows each change calendars must see, in the transaction that makes it."""

from feeds.sync import programme_feed_sync, visit_feeds_sync


def programme_changed(sender, *, programme, at=None, **kwargs) -> None:
    """A version was published: its events, as sent out, follow."""
    programme_feed_sync(programme=programme, at=at)


def journeys_changed(sender, *, visit, **kwargs) -> None:
    """A guest's arrival or departure was saved or deleted: their feed shows it."""
    visit_feeds_sync(visit=visit)
