package analytics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

var jan = &analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 15)}

func TestGetUserActivityFakeErrors(t *testing.T) {
	t.Parallel()
	const unknown = "11111111-2222-4333-8444-555555555555"
	for _, tc := range []struct {
		name             string
		clientID, userID string
		status           int
		sentinel         error
		code, message    string
		details          string
	}{
		{"unknown client", unknown, analyticstest.UserID, 404, analytics.ErrNotFound, "not_found", "Client not found", `{"client_id":"` + unknown + `"}`},
		{"unknown user", analyticstest.ClientID, unknown, 404, analytics.ErrNotFound, "not_found", "User not found", `{"user_id":"` + unknown + `"}`},
		{"forbidden client", analyticstest.ForbiddenClientID, analyticstest.UserID, 403, analytics.ErrForbidden, "forbidden", "Insufficient permissions for this client", `{"client_id":"` + analyticstest.ForbiddenClientID + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			ts, err := c.GetUserActivity(context.Background(), tc.clientID, tc.userID, jan)
			assert.Nil(t, ts)
			var ae *analytics.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.message, ae.Message)
			assert.JSONEq(t, tc.details, string(ae.Details))
			assert.Regexp(t, `^req-\d+$`, ae.RequestID)
			assert.Equal(t, 1, ae.Attempts, "4xx is not retried")
			assert.True(t, errors.Is(err, tc.sentinel))
			for _, other := range []error{analytics.ErrNotFound, analytics.ErrForbidden, analytics.ErrUnauthorized, analytics.ErrRateLimited} {
				if other != tc.sentinel {
					assert.False(t, errors.Is(err, other))
				}
			}
			assert.Contains(t, err.Error(), tc.message)
			assert.EqualValues(t, 1, srv.RequestCount())
		})
	}
}

func TestGetUserActivityUnauthorizedNeverShowsToken(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	const secret = "sk-live-very-secret-token-42"
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := analytics.NewClient(analytics.WithToken(secret), analytics.WithBaseURL(srv.URL+analyticstest.BasePath),
		analytics.WithRetryPolicy(fastRetries), analytics.WithLogger(logger))
	require.NoError(t, err)
	_, err = c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 12, 31)})
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.True(t, errors.Is(err, analytics.ErrUnauthorized))
	assert.Equal(t, "unauthorized", ae.Code)
	assert.Equal(t, "Authentication required", ae.Message)
	assert.EqualValues(t, 1, srv.RequestCount(), "the first window's 401 stops the walk")
	r, _ := srv.LastRequest()
	assert.Equal(t, "Bearer "+secret, r.Header.Get("Authorization"), "the token is sent")
	mu.Lock()
	defer mu.Unlock()
	assert.NotEmpty(t, logs.String())
	for _, s := range []string{err.Error(), logs.String(), string(ae.Body), ae.URL} {
		assert.NotContains(t, s, secret)
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// mockClient returns a client whose requests go to an httpmock transport.
func mockClient(t *testing.T) (*analytics.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := analytics.NewClient(analytics.WithToken("tok-1234"), analytics.WithHTTPClient(&http.Client{Transport: checkRequests(t, mt)}),
		analytics.WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	return c, mt
}

const seedURL = "https://api.example.com/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50/analytics/users/a1d97031-04e2-4907-a249-093f7436207b/activity"

// The documentation's example error, verbatim.
const seedError = `{
"error": {
"code": "invalid_parameter",
"message": "Date range cannot exceed 90 days",
"details": {
"start_date": "2026-01-01",
"end_date": "2026-06-01"
}
}
}`

func TestAPIErrorDecodesSeedEnvelope(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusBadRequest, seedError).
		HeaderSet(http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"abc-123"}}))
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "invalid_parameter", ae.Code)
	assert.Equal(t, "Date range cannot exceed 90 days", ae.Message)
	assert.Equal(t, "abc-123", ae.RequestID)
	assert.JSONEq(t, `{"start_date": "2026-01-01", "end_date": "2026-06-01"}`, string(ae.Details))
	assert.Equal(t, "analytics", ae.Provider)
	assert.Equal(t, seedError, string(ae.Body))
	assert.Equal(t, "analytics: GET "+seedURL+"?end_date=2026-01-15&granularity=daily&metric=activity-count&start_date=2026-01-01: "+
		"400 Bad Request: invalid_parameter: Date range cannot exceed 90 days (request id abc-123)", err.Error())
	for _, s := range []error{analytics.ErrNotFound, analytics.ErrUnauthorized, analytics.ErrForbidden, analytics.ErrRateLimited} {
		assert.False(t, errors.Is(err, s))
	}
}

func TestAPIErrorNotEnvelope(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ctype, body, message string
	}{
		{"html", "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway"},
		{"text", "text/plain", "upstream connect error\nmore", "upstream connect error"},
		{"null details", "application/json", `{"error":{"code":"x","message":"y","details":null}}`, "y"},
		{"other json", "application/json", `{"message":"nope"}`, `{"message":"nope"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t)
			mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusNotFound, tc.body).
				HeaderSet(http.Header{"Content-Type": {tc.ctype}}))
			_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
			var ae *analytics.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.message, ae.Message)
			assert.Nil(t, ae.Details)
			assert.True(t, errors.Is(err, analytics.ErrNotFound))
		})
	}
}

// The documentation's example response, verbatim.
const seedResponse = `{
"metric": "activity-count",
"label": "Total Activity",
"period": {
"start": "2026-01-01",
"end": "2026-01-15"
},
"data": [
{ "date": "2026-01-01", "value": 42 },
{ "date": "2026-01-02", "value": 38 },
{ "date": "2026-01-03", "value": 51 },
{ "date": "2026-01-04", "value": 0 },
{ "date": "2026-01-05", "value": 0 },
{ "date": "2026-01-06", "value": 45 },
{ "date": "2026-01-07", "value": 39 },
{ "date": "2026-01-08", "value": 47 },
{ "date": "2026-01-09", "value": 44 },
{ "date": "2026-01-10", "value": 52 },
{ "date": "2026-01-11", "value": 0 },
{ "date": "2026-01-12", "value": 0 },
{ "date": "2026-01-13", "value": 48 },
{ "date": "2026-01-14", "value": 41 },
{ "date": "2026-01-15", "value": 46 }
]
}`

func TestGetUserActivityDecodesSeedExample(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusOK, seedResponse))
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	require.NoError(t, err)
	values := []float64{42, 38, 51, 0, 0, 45, 39, 47, 44, 52, 0, 0, 48, 41, 46}
	want := &analytics.ActivityTimeSeries{Metric: analytics.MetricActivityCount, Label: "Total Activity",
		Period: analytics.Period{Start: date(2026, 1, 1), End: date(2026, 1, 15)}}
	for i, v := range values {
		want.Data = append(want.Data, analytics.DataPoint{Date: date(2026, 1, 1+i), Value: v})
	}
	assert.Equal(t, want, ts)

	// It marshals back to the same JSON.
	b, err := json.Marshal(ts)
	require.NoError(t, err)
	assert.JSONEq(t, seedResponse, string(b))
}

func TestGetUserActivityBadBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, msg string }{
		{"bad date", `{"metric":"activity-count","data":[{"date":"01/02/2026","value":1}]}`, `data.date: "01/02/2026" is not a YYYY-MM-DD date`},
		{"bad period", `{"period":{"start":"yesterday"}}`, `period.start: "yesterday" is not a YYYY-MM-DD date`},
		{"bad period end", `{"period":{"start":"2026-01-01","end":"2026-13-01"}}`, `period.end`},
		{"not json", `<<<`, "decoding response"},
		{"period not object", `{"period":[]}`, "decoding response"},
		{"point not object", `{"data":[1]}`, "decoding response"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t)
			mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusOK, tc.body))
			_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
			var re *analytics.RequestError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestGetUserActivityTimestampDatesAndMissingPeriod(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusOK,
		`{"metric":"activity-count","label":"Total Activity","data":[{"date":"2026-01-01T00:00:00-05:00","value":3}]}`))
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	require.NoError(t, err)
	assert.Equal(t, []analytics.DataPoint{{Date: date(2026, 1, 1), Value: 3}}, ts.Data, "the calendar date as written")
	assert.Equal(t, analytics.Period{Start: date(2026, 1, 1), End: date(2026, 1, 15)}, ts.Period, "missing period: the range asked for")
}

// A server that answers outside the window it was asked for makes stitching
// fail loudly instead of returning duplicate dates.
func TestGetUserActivityOverlappingAnswers(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, func(r *http.Request) (*http.Response, error) {
		start := r.URL.Query().Get("start_date")
		// Every answer starts with the first window's first date.
		body := `{"metric":"activity-count","label":"Total Activity","period":{"start":"` + start + `","end":"` +
			r.URL.Query().Get("end_date") + `"},"data":[{"date":"2026-01-01","value":1}]}`
		return httpmock.NewStringResponse(http.StatusOK, body), nil
	})
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 6, 1)})
	require.Error(t, err)
	assert.Equal(t, "analytics: stitching 2026-01-01..2026-06-01: data point 2026-01-01 follows 2026-01-01; the answers overlap or are out of order", err.Error())
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestGetUserActivityEmptyData(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusOK, `{"metric":"activity-count"}`))
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 6, 1)})
	require.NoError(t, err)
	assert.NotNil(t, ts.Data)
	assert.Empty(t, ts.Data)
	assert.Equal(t, analytics.Period{Start: date(2026, 1, 1), End: date(2026, 6, 1)}, ts.Period)
	assert.Equal(t, analytics.MetricActivityCount, ts.Metric)
}

func TestAPIErrorAsErrorInfo(t *testing.T) {
	t.Parallel()
	var err error = &analytics.APIError{ErrorInfo: analytics.ErrorInfo{StatusCode: 404, Message: "no such user"}}
	var info *analytics.ErrorInfo
	if !errors.As(err, &info) || info.StatusCode != 404 || info.Message != "no such user" {
		t.Fatalf("errors.As(*ErrorInfo) = %v, %+v", errors.As(err, &info), info)
	}
	var other *int
	if (err.(*analytics.APIError)).As(&other) {
		t.Fatal("As matched an unrelated target")
	}
}
