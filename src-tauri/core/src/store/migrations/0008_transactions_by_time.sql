-- Version 8: the payments screens list every restaurant's transactions (or a profile's many)
-- newest first. Without an index on time that is a sort of the whole table (150 ms at 100,000
-- rows); with it, the newest page is read in order and the scan stops after it. The restaurant
-- beside the time lets a profile's restaurants be picked from the index alone.
CREATE INDEX transactions_by_created ON transactions (created, restaurant);
