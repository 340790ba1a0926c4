// Package analyticstest is a fake of the analytics API for tests and
// offline examples: an HTTP server on a loopback port that serves
// GET /clients/{client_id}/analytics/users/{user_id}/activity the way the API
// documentation describes it.
//
//   - Credentials: "Authorization: Bearer " + Token (or WithToken's tokens);
//     anything else is answered 401.
//   - Known ids: ClientID with UserID and SecondUserID (the documentation's
//     example ids and one more), WithUser and WithUsers add more.
//     ForbiddenClientID is answered 403; other well-formed ids 404; malformed
//     ids 400.
//   - Data: deterministic, computed on each request from DailyValue (zero on
//     weekends and on about one weekday in ten). Every period of the range is
//     present. Weeks run Monday to Sunday; a weekly, monthly or quarterly
//     point holds the sum of its period's dates inside the range and is dated
//     at the first of them (WithPeriodStartDates dates it at the period's
//     calendar start instead).
//   - Rules: start_date, end_date and metric are required; granularity may be
//     left out (daily), as in the documentation's example request; a range of
//     more than MaxRangeDays dates, both ends included, is answered 400 "Date
//     range cannot exceed 90 days" with the dates in details.
//   - Errors use the API's envelope {"error": {"code", "message", "details"}}
//     and carry an X-Request-Id header.
//   - Faults: FailNext and FailRandomly inject 429s with Retry-After, 5xx,
//     dropped connections, truncated bodies and slow answers.
//
// The server is served under BasePath ("/v2", as in the real base URL) and at
// its root: pass srv.URL to analytics.WithBaseURL, as with every fake.
package analyticstest
