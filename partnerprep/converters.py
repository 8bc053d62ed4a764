class DatabaseIdConverter:
    """Match a database id of at most 18 digits.

    Django's ``int`` converter accepts any length, and an id beyond a 64-bit integer makes the
    database driver raise instead of finding nothing. Longer numbers match no URL, so they get 404.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
