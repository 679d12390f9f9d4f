from django.db import models


class KeyCheck(models.Model):
    """A known value sealed once under each encryption key that has been primary.

    At start-up Okoa opens these values again: a wrong or missing key stops it with a clear
    message before it can write data that no configured key would read. ``index_probe`` does the
    same for the blind-index key, which otherwise fails silently (searches find nothing).
    """

    key_id = models.CharField(max_length=32, unique=True)
    sealed_probe = models.TextField()
    index_probe = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="Set once no stored value uses this key any more."
    )

    def __str__(self) -> str:
        return self.key_id
