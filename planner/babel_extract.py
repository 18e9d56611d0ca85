"""A Babel extractor for Django templates, so catalogues need no system gettext.

Django's ``templatize`` turns a template into Python-like source in which every translatable
string is a gettext call (that is what ``makemessages`` feeds to xgettext); Babel's own Python
extractor then reads it.
"""

import io

from babel.messages.extract import extract_python


def extract_django(fileobj, keywords, comment_tags, options):
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=True)
        django.setup()
    from django.utils.translation.template import templatize

    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    # templatize keeps the template's indentation, which Python's tokenizer would refuse;
    # flush-left lines keep their numbers.
    python_like = "\n".join(line.lstrip() for line in templatize(source).splitlines())
    yield from extract_python(
        io.BytesIO(python_like.encode("utf-8")), keywords, comment_tags, options
    )
