-- The same job as `whitezone analyze` with status_rule "area_share", written the way a
-- competent PostGIS user would: transform once, buffer each cell with ST_Buffer (:quad_segs
-- segments per quarter circle: psql -v quad_segs=8, PostGIS's default and whitezone's), one
-- ST_Union per class, ST_Subdivide so that the big union is indexable, GiST indexes, and the
-- intersection areas summed per village. Parallel workers are on. Output: shares per village on stdout (CSV).
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 100;
SET parallel_tuple_cost = 0.01;
SET client_min_messages = warning;

CREATE TABLE v AS
  SELECT village_id, ST_Transform(geom, 32648) AS geom FROM villages;
CREATE TABLE fp AS
  SELECT tech <> '2G' AS broadband,
         ST_Buffer(ST_Transform(geom, 32648),
                   CASE tech WHEN '2G' THEN 5000 WHEN '3G' THEN 3000
                             WHEN '4G' THEN 3500 ELSE 1000 END, :quad_segs) AS geom
  FROM stations;

CREATE TABLE cov AS
  SELECT 'any' AS cls, ST_Subdivide(ST_Union(geom), 256) AS geom FROM fp
  UNION ALL
  SELECT 'broadband', ST_Subdivide(ST_Union(geom), 256) FROM fp WHERE broadband;
CREATE INDEX ON cov USING gist (geom);
CREATE INDEX ON v USING gist (geom);
ANALYZE cov;
ANALYZE v;

CREATE TABLE shares AS
  SELECT v.village_id,
         COALESCE(SUM(ST_Area(ST_Intersection(v.geom, c.geom))) FILTER (WHERE c.cls = 'any'), 0)
           / ST_Area(v.geom) AS share_any,
         COALESCE(SUM(ST_Area(ST_Intersection(v.geom, c.geom))) FILTER (WHERE c.cls = 'broadband'), 0)
           / ST_Area(v.geom) AS share_broadband
  FROM v LEFT JOIN cov c ON ST_Intersects(v.geom, c.geom)
  GROUP BY v.village_id, v.geom;

\copy shares TO STDOUT WITH CSV HEADER
