-- What Grafana's webhook (POST /api/v1/alerts/grafana) adds to an alert: the values of
-- the rule's queries and expressions by reference id ({"B": 92.5}), Grafana's text of
-- them, and its links. All null for alerts from Alertmanager; grafana_values is set
-- (possibly to {}) for every alert from Grafana. Nullable columns without a default:
-- adding them rewrites no row.
alter table alert
    add column grafana_values       jsonb,
    add column grafana_value_string text,
    add column dashboard_url        text,
    add column panel_url            text,
    add column silence_url          text,
    add column image_url            text;
