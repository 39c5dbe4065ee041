"""careloop intake: the resident directory and complaints as received, with their timeline."""

# Each table registers itself on `intake.db.metadata` when its module is imported. Loading
# them with the package means whoever reads that metadata (migrations, schema checks)
# sees every table, whichever intake module they imported first.
from intake import models as _models  # noqa: F401
