// Package analyticstest is a fake of the analytics API for tests and
// offline examples: an HTTP server on a loopback port that serves, under
// /clients/{client_id}/analytics,
//
//	GET /users/{user_id}/activity        user activity time series
//	GET /devices/{device_id}/activity    device activity time series
//	GET /apps/{app_id}/activity          app activity time series
//	GET /apps/utilization                app utilization list (cursor paged)
//	GET /apps/utilization/summary        app utilization summary
//	GET /apps/utilization/rankings       app utilization rankings
//
// the way the API documentation describes them. The endpoints the provider
// marks "approved, not implemented yet" (utilization timeseries, users,
// categories, departments; one app's utilization and its users) answer 404,
// as the real API does today.
//
//   - Credentials: "Authorization: Bearer " + Token (or WithToken's tokens);
//     anything else is answered 401.
//   - Known ids: ClientID with UserID and SecondUserID (the documentation's
//     example ids and one more), WithUser and WithUsers add more; devices
//     DeviceID and SecondDeviceID; apps GeneratedAppID(0) (= AppID) to
//     GeneratedAppID(n-1), n = DefaultApps or WithApps. ForbiddenClientID is
//     answered 403; other well-formed ids 404; malformed ids 400.
//   - Time series: deterministic, computed on each request from DailyValue,
//     DeviceValue and AppValue (zero on weekends and on about one weekday in
//     ten). Every period of the range is present. Weeks run Monday to
//     Sunday; a weekly, monthly or quarterly point holds the sum of its
//     period's dates inside the range and is dated at the first of them
//     (WithPeriodStartDates dates it at the period's calendar start
//     instead). Metrics: users activity-count; devices activity-count,
//     user-count; apps active-time (milliseconds), session-count,
//     user-count; any other is answered 400 "Unknown metric".
//   - Rules: start_date, end_date and metric are required; granularity may be
//     left out of a time-series request (daily), as in the documentation's
//     example request, and is required by the utilization endpoints. A user
//     activity range of more than MaxRangeDays dates, both ends included, is
//     answered 400 "Date range cannot exceed 90 days" with the dates in
//     details; device and app activity have no such rule. The fake computes
//     at most ten years per request (400 beyond).
//   - Utilization: the catalogue App(i) (name, vendor, category, departments,
//     approval, favourite, first and last day of use) and AppValue give every
//     figure. A row's unique_users is the app's largest daily user count in
//     the period, session_count and active_time_ms its sums,
//     avg_time_ms_per_day the active time per day with activity (daily) or
//     per day of the range (other granularities); figures are
//     {"value", "change_pct"} objects, change_pct null without
//     compare_start_date and compare_end_date (one without the other is a
//     400). The list holds the apps with activity in the period (filter
//     discovered: first used in it; dropped_off: used before, not in it),
//     sorted by active time, most first, then by id; page_size 1 to
//     MaxPageSize (default 50); next_cursor is an opaque cursor, null on the
//     last page; total_count counts every matching row. Multi-id filters
//     (category_ids, vendor_ids, department_ids) are comma-separated UUIDs.
//     Summary users adds the apps' unique users up (the fake does not model
//     shared users). Rankings: the highest figure leads, ties to the lower
//     app id; biggest_increase and biggest_decrease (by change_pct) are null
//     without a comparison period.
//   - Errors use the API's envelope {"error": {"code", "message", "details"}}
//     and carry an X-Request-Id header.
//   - Faults: FailNext and FailRandomly inject 429s with Retry-After, 5xx,
//     dropped connections, truncated bodies and slow answers, on every
//     endpoint.
//
// The server is served under BasePath ("/v2", as in the real base URL) and at
// its root: pass srv.URL to analytics.WithBaseURL, as with every fake.
package analyticstest
