-- One database per service (DESIGN.md §2: no service reads another's database).
-- Run once by the postgres image, as POSTGRES_USER, when its data volume is empty;
-- each service then migrates its own database at start-up.
CREATE DATABASE intake;
CREATE DATABASE routing;
CREATE DATABASE surveys;
CREATE DATABASE notify;
-- the console's own: staff sessions only (it reads everything else through the APIs)
CREATE DATABASE console;
