-- One database per service (WEBCARE_DATABASE_URL's {service}); runs once, on an empty data volume.
CREATE DATABASE webcare_ingest;
CREATE DATABASE webcare_classify;
CREATE DATABASE webcare_routing;
CREATE DATABASE webcare_reply;
CREATE DATABASE webcare_reporting;
