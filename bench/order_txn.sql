-- pgbench script: the transaction POST /orders commits, as plain SQL (the database's own limit).
--
--   pgbench -n -M simple -c 32 -j 2 -T 15 -D client=<client uuid> -f bench/order_txn.sql <url>
--
-- The same rows the order service writes for an order of three lines, with the RETURNING
-- clauses its INSERTs use: the order, its items, the first status_history row and the
-- order.created outbox row (the outbox's NOTIFY trigger fires at commit, as in the service).
-- Connect as the service's role (pedidos_orders), whose search_path is `orders`.
BEGIN;
INSERT INTO orders (id, type, client_id, status, stock_status, order_version, total,
                    created_by, updated_at)
VALUES (gen_random_uuid(), 'sale', ':client', 'pending', 'awaiting', 1, 83.70,
        'pgbench', now())
RETURNING id AS order_id, number, created_at \gset
INSERT INTO order_items (id, order_id, position, product_id, quantity, unit_price,
                         product_name, unit, section, category, supplier_id, supplier_name,
                         order_created_at)
VALUES
  (gen_random_uuid(), ':order_id', 1, gen_random_uuid(), 1, 27.90, 'Arroz tipo 1 5 kg', 'pct',
   'Mercearia', 'Grãos', gen_random_uuid(), 'Fornecedor pgbench', ':created_at'),
  (gen_random_uuid(), ':order_id', 2, gen_random_uuid(), 1, 27.90, 'Feijão carioca 1 kg', 'pct',
   'Mercearia', 'Grãos', gen_random_uuid(), 'Fornecedor pgbench', ':created_at'),
  (gen_random_uuid(), ':order_id', 3, gen_random_uuid(), 1, 27.90, 'Óleo de soja 900 ml', 'un',
   'Mercearia', 'Óleos', gen_random_uuid(), 'Fornecedor pgbench', ':created_at')
RETURNING id, line_total, created_at;
INSERT INTO order_status_history (order_id, from_status, to_status, changed_at, changed_by,
                                  changed_by_role)
VALUES (':order_id', NULL, 'pending', now(), 'pgbench', 'admin')
RETURNING id;
INSERT INTO outbox (id, event_type, routing_key, payload, headers)
VALUES (gen_random_uuid(), 'order.created', 'order.created',
        jsonb_build_object(
          'id', gen_random_uuid(), 'type', 'order.created', 'version', 1,
          'occurred_at', now(), 'source', 'order_service', 'correlation_id', md5(random()::text),
          'data', jsonb_build_object(
            'order_id', ':order_id', 'order_version', 1, 'order_type', 'sale',
            'client_id', ':client',
            'items', jsonb_build_array(
              jsonb_build_object('product_id', gen_random_uuid(), 'quantity', 1),
              jsonb_build_object('product_id', gen_random_uuid(), 'quantity', 1),
              jsonb_build_object('product_id', gen_random_uuid(), 'quantity', 1)))),
        jsonb_build_object('x-request-id', md5(random()::text)));
END;
