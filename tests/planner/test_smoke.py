from django.conf import settings


def test_settings_debug_off_by_default():
    assert settings.DEBUG is False
