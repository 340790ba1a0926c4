// Package analytics reads a user's activity time series from the analytics
// API: GET /clients/{client_id}/analytics/users/{user_id}/activity.
//
// Create a Client with NewClient (a token from WithToken or the
// ANALYTICS_API_TOKEN environment variable; the base URL from WithBaseURL,
// ANALYTICS_BASE_URL or DefaultBaseURL) and call GetUserActivity:
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
// # Long ranges
//
// The API answers at most MaxRangeDays (90) dates per request. GetUserActivity
// fetches a longer range as consecutive windows that end on the granularity's
// period boundaries (weeks run Monday to Sunday) and stitches the answers
// into one series, every date once and in order. A quarterly range longer than
// 90 days that holds a quarter of more than 90 days cannot be split so and is
// rejected with a *ValidationError; ask for monthly data and add it up.
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
// Package analyticstest is a fake of the API for tests and offline examples.
package analytics
