-- Orders for the reads part, generated in SQL: orders :first..:last (about 3 items each).
--
--   psql "$BENCH_DB" -1 -v ON_ERROR_STOP=1 -v first=1 -v last=100000 -f bench/data.sql
--   psql "$BENCH_DB" -1 -v ON_ERROR_STOP=1 -v first=100001 -v last=1000000 -f bench/data.sql
--   VACUUM (ANALYZE) orders.orders, orders.order_items, orders.order_status_history;
--   CHECKPOINT;
--
-- Everything is a function of the order's number g, so each run adds the same rows and the
-- bench can name the values it filters by without asking the database:
--   order id       md5('bench-order-' || g)::uuid
--   client         md5('bench-client-' || c)::uuid, c in 1..2000 (clients created here)
--   product        md5('bench-product-' || p)::uuid, p in 0..1999; its supplier is
--                  md5('bench-supplier-' || p % 50)::uuid and its section the (p % 10)-th below
--   h              a hash of g that picks client, status, items and the creation time
-- Orders spread evenly over the last 730 days; 1 to 5 items (3 on average) of distinct
-- products; statuses in realistic shares (half delivered, 15 % pending, ...); one history row
-- for the creation and one for the current status when it is not pending.
--
-- Loading a million rows into tables whose indexes are kept up to date row by row takes
-- minutes here (random UUID keys, 128 MB of shared_buffers); so the indexes and keys of the
-- three tables are set aside, the rows inserted, and every index and constraint rebuilt from
-- its own definition as read from the catalogue (pg_get_indexdef / pg_get_constraintdef):
-- the schema afterwards is the migrations' one, object for object.

SET maintenance_work_mem = '256MB';
SET max_parallel_maintenance_workers = 1;
\set tables '{orders.orders,orders.order_items,orders.order_status_history}'

-- The shape of order g, as inlinable SQL functions of g and of its hash h.
CREATE FUNCTION pg_temp.h(g bigint) RETURNS bigint IMMUTABLE LANGUAGE sql
  AS $$ SELECT abs(hashint8(g)) $$;
CREATE FUNCTION pg_temp.items(h bigint) RETURNS int IMMUTABLE LANGUAGE sql
  AS $$ SELECT (1 + (h / 7) % 5)::int $$;
-- 397 is prime to 2000: the first five steps land on five different products.
CREATE FUNCTION pg_temp.product(h bigint, k int) RETURNS int IMMUTABLE LANGUAGE sql
  AS $$ SELECT (((h % 2000) + k * 397) % 2000)::int $$;
CREATE FUNCTION pg_temp.quantity(h bigint, k int) RETURNS int IMMUTABLE LANGUAGE sql
  AS $$ SELECT (1 + (h / (k + 11)) % 4)::int $$;
CREATE FUNCTION pg_temp.price(p int) RETURNS numeric IMMUTABLE LANGUAGE sql
  AS $$ SELECT (2.50 + p % 97)::numeric(12, 2) $$;
CREATE FUNCTION pg_temp.created(h bigint) RETURNS timestamptz STABLE LANGUAGE sql
  AS $$ SELECT now() - make_interval(secs => (h % (730 * 86400))::double precision) $$;
CREATE FUNCTION pg_temp.status(h bigint) RETURNS text IMMUTABLE LANGUAGE sql
  AS $$ SELECT CASE
                 WHEN h % 100 < 15 THEN 'pending'
                 WHEN h % 100 < 25 THEN 'approved'
                 WHEN h % 100 < 30 THEN 'processing'
                 WHEN h % 100 < 40 THEN 'shipped'
                 WHEN h % 100 < 90 THEN 'delivered'
                 WHEN h % 100 < 98 THEN 'cancelled'
                 ELSE 'returned'
               END $$;

INSERT INTO orders.clients (id, name, email, document, phone, created_by, created_at, updated_at)
SELECT md5('bench-client-' || c)::uuid, 'Escola bench ' || c, 'bench-' || c || '@bench.example.com',
       '7' || lpad(c::text, 13, '0'), '11900000000', 'bench', now() - interval '3 years',
       now() - interval '3 years'
FROM generate_series(1, 2000) AS c
ON CONFLICT (id) DO NOTHING;  -- the second run finds them; any other clash fails loudly

-- The report triggers (migration 0009) log each changed instant for the rollups' fold; a load
-- this size is better folded whole, once: set them aside, and forget the rollups so the next
-- fold rebuilds them (bench/reads.py runs it and times it).
ALTER TABLE orders.order_items DISABLE TRIGGER report_changes_insert;
DELETE FROM orders.report_rollup_state;

-- Set the indexes and keys aside (foreign keys first, then keys, then plain indexes).
CREATE TEMP TABLE bench_ddl AS
SELECT 1 AS step, c.conrelid::regclass::text AS tbl, c.conname::text AS name,
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid)) AS create_sql
FROM pg_constraint AS c
WHERE c.contype = 'f'
  AND (c.conrelid = ANY (:'tables'::regclass[]) OR c.confrelid = ANY (:'tables'::regclass[]))
UNION ALL
SELECT 0, c.conrelid::regclass::text, c.conname,
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid))
FROM pg_constraint AS c
WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY (:'tables'::regclass[])
UNION ALL
SELECT 2, i.indrelid::regclass::text, x.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index AS i
JOIN pg_class AS x ON x.oid = i.indexrelid
WHERE i.indrelid = ANY (:'tables'::regclass[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid);

DO $$
DECLARE ddl record;
BEGIN
  FOR ddl IN SELECT * FROM bench_ddl ORDER BY step DESC LOOP
    IF ddl.step = 2 THEN
      EXECUTE format('DROP INDEX orders.%I', ddl.name);
    ELSE
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', ddl.tbl, ddl.name);
    END IF;
  END LOOP;
END $$;

INSERT INTO orders.orders (id, type, client_id, status, stock_status, order_version, total,
                           created_by, created_at, updated_at, approved_at)
SELECT md5('bench-order-' || g)::uuid, 'sale', md5('bench-client-' || (1 + h % 2000))::uuid,
       pg_temp.status(h),
       CASE WHEN pg_temp.status(h) = 'pending' AND h % 7 = 0 THEN 'rejected' ELSE 'reserved' END,
       1,
       (SELECT sum(pg_temp.quantity(h, k) * pg_temp.price(pg_temp.product(h, k)))
        FROM generate_series(0, pg_temp.items(h) - 1) AS k),
       'bench', pg_temp.created(h), pg_temp.created(h) + interval '1 day',
       CASE WHEN pg_temp.status(h) NOT IN ('pending', 'cancelled')
            THEN pg_temp.created(h) + interval '2 hours' END
FROM generate_series(:first, :last) AS g, pg_temp.h(g) AS h;

INSERT INTO orders.order_items (id, order_id, position, product_id, quantity, unit_price,
                                product_name, unit, section, category, supplier_id,
                                supplier_name, order_created_at, created_at, order_status,
                                client_id, supplier_first)
SELECT md5('bench-item-' || g || '-' || k)::uuid, md5('bench-order-' || g)::uuid, k + 1,
       md5('bench-product-' || p)::uuid, pg_temp.quantity(h, k), pg_temp.price(p),
       'Produto bench ' || p, 'un',
       (ARRAY['Mercearia', 'Hortifruti', 'Laticínios', 'Carnes', 'Padaria', 'Bebidas',
              'Limpeza', 'Higiene', 'Congelados', 'Papelaria'])[1 + p % 10],
       'Categoria ' || p % 20, md5('bench-supplier-' || p % 50)::uuid,
       'Fornecedor bench ' || p % 50, pg_temp.created(h), pg_temp.created(h),
       pg_temp.status(h), md5('bench-client-' || (1 + h % 2000))::uuid,
       NOT EXISTS (SELECT 1 FROM generate_series(0, k - 1) AS j
                    WHERE pg_temp.product(h, j) % 50 = p % 50)
FROM generate_series(:first, :last) AS g, pg_temp.h(g) AS h,
     generate_series(0, pg_temp.items(h) - 1) AS k, pg_temp.product(h, k) AS p;

INSERT INTO orders.order_status_history (order_id, from_status, to_status, changed_at,
                                         changed_by, changed_by_role)
SELECT md5('bench-order-' || g)::uuid, NULL, 'pending', pg_temp.created(h), 'bench', 'admin'
FROM generate_series(:first, :last) AS g, pg_temp.h(g) AS h
UNION ALL
SELECT md5('bench-order-' || g)::uuid, 'pending', pg_temp.status(h),
       pg_temp.created(h) + interval '2 hours', 'bench', 'admin'
FROM generate_series(:first, :last) AS g, pg_temp.h(g) AS h
WHERE pg_temp.status(h) <> 'pending';

-- Rebuild them: keys first (the foreign keys need them), then foreign keys, then indexes.
DO $$
DECLARE ddl record;
BEGIN
  FOR ddl IN SELECT * FROM bench_ddl ORDER BY step LOOP
    EXECUTE ddl.create_sql;
  END LOOP;
END $$;

ALTER TABLE orders.order_items ENABLE TRIGGER report_changes_insert;
