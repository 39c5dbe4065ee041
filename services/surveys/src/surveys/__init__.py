"""careloop surveys: satisfaction surveys, samples, responses and targets."""

# Each table registers itself on `surveys.db.metadata` when its module is imported. Loading
# them with the package means whoever reads that metadata (migrations, the migration test)
# sees every table, whichever surveys module they imported first.
from surveys import models as _models  # noqa: F401
