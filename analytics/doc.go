// Package analytics reads activity time series and app utilization from the
// analytics API. Every path starts /clients/{client_id}/analytics; ids are
// UUIDs, checked before sending.
//
//	GetUserActivity            GET .../users/{user_id}/activity      time series (90 days a request: longer ranges stitched)
//	GetDeviceActivity          GET .../devices/{device_id}/activity  time series
//	GetAppActivity             GET .../apps/{app_id}/activity        time series (active time in milliseconds)
//	ListAppUtilization         GET .../apps/utilization              one row per app, cursor paged
//	GetAppUtilizationSummary   GET .../apps/utilization/summary      flat counts
//	GetAppUtilizationRankings  GET .../apps/utilization/rankings     leaders, biggest increase and decrease
//
// Create a Client with NewClient (a token from WithToken or the
// ANALYTICS_API_TOKEN environment variable; the base URL from WithBaseURL,
// ANALYTICS_BASE_URL or DefaultBaseURL):
//
//	c, err := analytics.NewClient(analytics.WithToken(token))
//	if err != nil { ... }
//	ts, err := c.GetUserActivity(ctx, clientID, userID, &analytics.UserActivityParams{
//		Granularity: analytics.GranularityWeekly,
//		StartDate:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
//		EndDate:     time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
//	})
//	for _, p := range ts.Data {
//		fmt.Println(p.Date.Format("2006-01-02"), p.Value)
//	}
//
// # Dates
//
// Dates are calendar dates in the client organisation's configured time zone.
// Parameters send the calendar date of the time.Time as given (its own
// location); results carry dates as midnight UTC.
//
// # Metrics
//
// A time series reports one metric per request. The documented ones are
// constants (MetricActivityCount, MetricUserCount, MetricActiveTime in
// milliseconds, MetricSessionCount); a metric is checked for form only, so
// one the API adds later can be sent as a plain string.
//
// # Long ranges
//
// The user activity endpoint answers at most MaxRangeDays (90) dates per
// request. GetUserActivity fetches a longer range as consecutive windows that
// end on the granularity's period boundaries (weeks run Monday to Sunday) and
// stitches the answers into one series, every date once and in order. A
// quarterly range longer than 90 days that holds a quarter of more than 90
// days cannot be split so and is rejected with a *ValidationError; ask for
// monthly data and add it up. No limit is documented for devices and apps:
// their ranges are sent whole, and a server that refuses one answers a 400
// *APIError. Every series holds only the requested range's periods: points a
// server sends outside it are dropped; overlapping points are a
// *SeriesError.
//
// # Utilization
//
// The utilization endpoints take a period and an optional comparison period
// (CompareStartDate and CompareEndDate: both or neither); with one, every
// Measure carries ChangePct. Multi-id filters (CategoryIDs, VendorIDs,
// DepartmentIDs) are sent as comma-separated UUID lists. ListAppUtilization
// pages by the API's cursor: Page.NextPageToken is next_cursor, Page.Total
// is total_count, and a stored token resumes the walk. The documentation
// shows the answers' field names only in part, so the models are decoded
// leniently (documented names and known alternatives, unexpected shapes left
// zero) and keep the JSON they came from in Raw.
//
// # Not implemented by the provider
//
// The documentation lists these endpoints as "Approved - not implemented
// yet"; they answer 404 today and this package leaves them out:
//
//	GET .../apps/utilization/timeseries        counts of apps by category per period
//	GET .../apps/utilization/users             users and their app counts
//	GET .../apps/utilization/categories        categories and their app counts
//	GET .../apps/utilization/departments       departments (named in the dashboard spec only)
//	GET .../apps/{app_id}/utilization          one app's utilization detail
//	GET .../apps/{app_id}/utilization/users    the users of one app
//
// # Errors
//
// Bad parameters give a *ValidationError before any request. Non-2xx answers
// give an *APIError decoded from the API's envelope
// {"error": {"code", "message", "details"}}; errors.Is works with
// ErrNotFound, ErrUnauthorized, ErrForbidden and ErrRateLimited. 429 and 5xx
// answers and dropped connections are retried (see RetryPolicy).
//
// # Testing
//
// Package analyticstest is a fake of the API for tests and offline examples;
// it serves every endpoint above. The provider publishes no machine-readable
// contract: testdata/analytics.openapi.yaml in this package's source
// describes the endpoints from the documentation, and the package's tests
// hold every request the client sends and every answer the fake gives to it.
package analytics
