-- :n new orders awaiting their reservation, each with its order.created event in the outbox,
-- as if POST /orders had placed them (the consumer part queues them while no stock consumer
-- runs, then starts one and times the reservations).
--
--   psql "$BENCH_DB" -v ON_ERROR_STOP=1 -v n=20000 -v tag=run1 \
--        -v products='{uuid,...}' -v clients='{uuid,...}' -f bench/queued_orders.sql
--
-- :products and :clients are array literals of seeded product and client ids; each order has
-- three distinct products, one unit each.

CREATE TEMP TABLE queued AS
SELECT g,
       md5(:'tag' || '-order-' || g)::uuid AS id,
       md5(:'tag' || '-event-' || g)::uuid AS event_id,
       (:'clients'::uuid[])[1 + g % cardinality(:'clients'::uuid[])] AS client_id,
       array(SELECT (:'products'::uuid[])[1 + (g * 3 + k) % cardinality(:'products'::uuid[])]
             FROM generate_series(0, 2) AS k) AS products,
       clock_timestamp() AS created_at
FROM generate_series(1, :n) AS g;

INSERT INTO orders.orders (id, type, client_id, status, stock_status, order_version, total,
                           created_by, created_at, updated_at)
SELECT id, 'sale', client_id, 'pending', 'awaiting', 1, 30.00, 'bench', created_at, created_at
FROM queued;

INSERT INTO orders.order_items (id, order_id, position, product_id, quantity, unit_price,
                                product_name, unit, section, category, order_created_at)
SELECT md5(:'tag' || '-item-' || g || '-' || k)::uuid, id, k, products[k], 1, 10.00,
       'Produto bench', 'un', 'Mercearia', 'Bench', created_at
FROM queued, generate_series(1, 3) AS k;

INSERT INTO orders.order_status_history (order_id, from_status, to_status, changed_at,
                                         changed_by, changed_by_role)
SELECT id, NULL, 'pending', created_at, 'bench', 'admin' FROM queued;

-- The event exactly as order_service records it (shared.events envelope, docs/events.md).
INSERT INTO orders.outbox (id, event_type, routing_key, payload, headers, created_at)
SELECT event_id, 'order.created', 'order.created',
       jsonb_build_object(
         'id', event_id, 'type', 'order.created', 'version', 1,
         'occurred_at', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'source', 'order_service', 'correlation_id', md5(:'tag' || '-request-' || g),
         'data', jsonb_build_object(
           'order_id', id, 'order_version', 1, 'order_type', 'sale', 'client_id', client_id,
           'items', (SELECT jsonb_agg(jsonb_build_object('product_id', p, 'quantity', 1))
                     FROM unnest(products) AS p))),
       jsonb_build_object('x-request-id', md5(:'tag' || '-request-' || g)),
       created_at
FROM queued
ORDER BY g;
