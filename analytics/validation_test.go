package analytics_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

func TestGetUserActivityValidation(t *testing.T) {
	t.Parallel()
	ok := func() *analytics.UserActivityParams {
		return &analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31)}
	}
	with := func(f func(p *analytics.UserActivityParams)) *analytics.UserActivityParams { p := ok(); f(p); return p }
	for _, tc := range []struct {
		name             string
		clientID, userID string
		params           *analytics.UserActivityParams
		op, field        string
		msg              string
	}{
		{"empty client", "", analyticstest.UserID, ok(), "GetUserActivity", "clientID", `analytics: GetUserActivity.clientID: must be a UUID like aa7cf840-9ca9-46a3-9778-9015d6580d50 (got "")`},
		{"client traversal", "../../admin", analyticstest.UserID, ok(), "GetUserActivity", "clientID", `(got "../../admin")`},
		{"client with slash", "aa7cf840-9ca9-46a3-9778-9015d6580d5/", analyticstest.UserID, ok(), "GetUserActivity", "clientID", "must be a UUID"},
		{"client not hex", "ga7cf840-9ca9-46a3-9778-9015d6580d50", analyticstest.UserID, ok(), "GetUserActivity", "clientID", "must be a UUID"},
		{"client braces", "{aa7cf840-9ca9-46a3-9778-9015d6580d5}", analyticstest.UserID, ok(), "GetUserActivity", "clientID", "must be a UUID"},
		{"user no dashes", analyticstest.ClientID, "a1d9703104e24907a249093f7436207b", ok(), "GetUserActivity", "userID", `analytics: GetUserActivity.userID: must be a UUID`},
		{"user dash misplaced", analyticstest.ClientID, "a1d97031-04e24-907-a249-093f7436207b", ok(), "GetUserActivity", "userID", "must be a UUID"},
		{"nil params", analyticstest.ClientID, analyticstest.UserID, nil, "UserActivityParams", "StartDate", "analytics: UserActivityParams.StartDate: is required"},
		{"no start", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.StartDate = time.Time{} }), "UserActivityParams", "StartDate", "is required"},
		{"no end", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.EndDate = time.Time{} }), "UserActivityParams", "EndDate", "analytics: UserActivityParams.EndDate: is required"},
		{"end before start", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.EndDate = date(2025, 12, 31) }), "UserActivityParams", "EndDate", "2025-12-31 is before StartDate 2026-01-01"},
		{"bad granularity", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Granularity = "hourly" }), "UserActivityParams", "Granularity", `must be one of daily, weekly, monthly, quarterly (got "hourly")`},
		{"granularity case", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Granularity = "Daily" }), "UserActivityParams", "Granularity", `(got "Daily")`},
		// Issue 13 changed this contract: a metric is checked for form, not
		// against a closed list (an unknown well-formed metric is the
		// server's 400: TestUnknownMetricReachesServer).
		{"metric with space", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = "activity count" }), "UserActivityParams", "Metric", `must not hold spaces or control characters; use a name like "activity-count" (got "activity count")`},
		{"metric with newline", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = "activity-count\n" }), "UserActivityParams", "Metric", `must not hold spaces or control characters`},
		{"metric with tab", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = "\tx" }), "UserActivityParams", "Metric", `must not hold spaces or control characters`},
		{"metric with NUL", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = "a\x00b" }), "UserActivityParams", "Metric", `must not hold spaces or control characters`},
		{"metric with no-break space", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = "a\u00a0b" }), "UserActivityParams", "Metric", `must not hold spaces or control characters`},
		{"metric not UTF-8", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = "a\xffb" }), "UserActivityParams", "Metric", `must be valid UTF-8`},
		{"metric too long", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.Metric = strings.Repeat("m", 101) }), "UserActivityParams", "Metric", `must be at most 100 bytes`},
		{"start year", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.StartDate = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC) }), "UserActivityParams", "StartDate", "year -5 is outside 1..9999"},
		{"end year", analyticstest.ClientID, analyticstest.UserID, with(func(p *analytics.UserActivityParams) { p.EndDate = date(10000, 1, 1) }), "UserActivityParams", "EndDate", "year 10000 is outside 1..9999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			ts, err := c.GetUserActivity(context.Background(), tc.clientID, tc.userID, tc.params)
			assert.Nil(t, ts)
			var ve *analytics.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "analytics", ve.Provider)
			assert.Equal(t, tc.op, ve.Params)
			assert.Equal(t, tc.field, ve.Field)
			assert.Contains(t, err.Error(), tc.msg)
			assert.Zero(t, srv.RequestCount(), "no request before validation passes")
		})
	}
}

func TestGetUserActivityDefaultsAndUppercaseUUID(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, "A1D97031-04E2-4907-A249-093F7436207B",
		&analytics.UserActivityParams{StartDate: date(2026, 2, 1), EndDate: date(2026, 2, 1)})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, "daily", r.Query.Get("granularity"), "empty Granularity is sent as daily")
	assert.Equal(t, "activity-count", r.Query.Get("metric"), "empty Metric is sent as activity-count")
}

func TestGetUserActivityContextCancelled(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 12, 31)})
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Zero(t, srv.RequestCount())
}

// TestUnknownMetricReachesServer: a well-formed metric the SDK has no
// constant for is sent as given (a metric the API adds later works without a
// new release); the fake refuses one it does not know with its 400.
func TestUnknownMetricReachesServer(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2), Metric: "focus-time"})
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "Unknown metric: focus-time", ae.Message)
	require.EqualValues(t, 1, srv.RequestCount())
	assert.Equal(t, "focus-time", srv.Requests()[0].Query.Get("metric"))
}
