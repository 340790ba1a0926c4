package analytics_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

const (
	devicePath = "/v2/clients/" + analyticstest.ClientID + "/analytics/devices/" + analyticstest.DeviceID + "/activity"
	appPath    = "/v2/clients/" + analyticstest.ClientID + "/analytics/apps/" + analyticstest.AppID + "/activity"
)

func TestGetDeviceActivityExactRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	start, end := date(2026, 1, 1), date(2026, 12, 31)
	ts, err := c.GetDeviceActivity(context.Background(), analyticstest.ClientID, analyticstest.DeviceID,
		&analytics.DeviceActivityParams{StartDate: start, EndDate: end})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "no range limit is documented for devices: one request for a year")
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, devicePath, reqs[0].RawPath)
	assert.Equal(t, url.Values{"granularity": {"daily"}, "start_date": {"2026-01-01"}, "end_date": {"2026-12-31"},
		"metric": {"activity-count"}}, reqs[0].Query)
	assert.Equal(t, "Bearer "+analyticstest.Token, reqs[0].Header.Get("Authorization"))

	assert.Equal(t, analytics.MetricActivityCount, ts.Metric)
	assert.Equal(t, "Total Activity", ts.Label)
	assert.Equal(t, analytics.Period{Start: start, End: end}, ts.Period)
	require.Len(t, ts.Data, 365)
	for i, p := range ts.Data {
		d := start.AddDate(0, 0, i)
		require.Equal(t, d, p.Date)
		require.Equal(t, analyticstest.DeviceValue(analyticstest.ClientID, analyticstest.DeviceID, "activity-count", d), p.Value, d)
	}
}

func TestGetDeviceActivityUserCountWeekly(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ts, err := c.GetDeviceActivity(context.Background(), analyticstest.ClientID, analyticstest.SecondDeviceID,
		&analytics.DeviceActivityParams{Granularity: analytics.GranularityWeekly, StartDate: date(2026, 1, 5), EndDate: date(2026, 1, 18),
			Metric: analytics.MetricUserCount})
	require.NoError(t, err)
	assert.Equal(t, "user-count", srv.Requests()[0].Query.Get("metric"))
	assert.Equal(t, "weekly", srv.Requests()[0].Query.Get("granularity"))
	assert.Equal(t, "Daily Users", ts.Label)
	require.Len(t, ts.Data, 2)
	for w, p := range ts.Data {
		var sum float64
		for d := 0; d < 7; d++ {
			sum += analyticstest.DeviceValue(analyticstest.ClientID, analyticstest.SecondDeviceID, "user-count", date(2026, 1, 5+7*w+d))
		}
		assert.Equal(t, date(2026, 1, 5+7*w), p.Date)
		assert.Equal(t, sum, p.Value)
	}
}

func TestGetAppActivityMetrics(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	app := analyticstest.GeneratedAppID(3)
	start, end := date(2026, 2, 2), date(2026, 2, 15)
	for _, tc := range []struct {
		metric, sent, label string
	}{
		{"", "active-time", "Active Time"}, // the default
		{analytics.MetricActiveTime, "active-time", "Active Time"},
		{analytics.MetricSessionCount, "session-count", "Sessions"},
		{analytics.MetricUserCount, "user-count", "Daily Users"},
	} {
		srv.ResetRequests()
		ts, err := c.GetAppActivity(context.Background(), analyticstest.ClientID, app,
			&analytics.AppActivityParams{StartDate: start, EndDate: end, Metric: tc.metric})
		require.NoError(t, err, tc.sent)
		r, _ := srv.LastRequest()
		assert.Equal(t, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/"+app+"/activity", r.RawPath)
		assert.Equal(t, url.Values{"granularity": {"daily"}, "start_date": {"2026-02-02"}, "end_date": {"2026-02-15"}, "metric": {tc.sent}}, r.Query)
		assert.Equal(t, tc.sent, ts.Metric)
		assert.Equal(t, tc.label, ts.Label)
		require.Len(t, ts.Data, 14)
		nonzero := 0
		for i, p := range ts.Data {
			want := analyticstest.AppValue(analyticstest.ClientID, app, tc.sent, start.AddDate(0, 0, i))
			assert.Equal(t, want, p.Value)
			if p.Value != 0 {
				nonzero++
			}
		}
		assert.Greater(t, nonzero, 5, "the app is in use: %+v", analyticstest.App(3))
	}
}

// Active time is in milliseconds: a day's value is a whole number of
// minutes (60000 ms) per session.
func TestGetAppActivityActiveTimeIsMilliseconds(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ts, err := c.GetAppActivity(context.Background(), analyticstest.ClientID, analyticstest.AppID,
		&analytics.AppActivityParams{StartDate: date(2026, 3, 2), EndDate: date(2026, 3, 6)})
	require.NoError(t, err)
	for _, p := range ts.Data {
		assert.Zero(t, int64(p.Value)%60000, "ms, whole minutes in the fake")
	}
}

func TestDeviceAndAppActivityValidation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	ok := &analytics.DeviceActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2)}
	okApp := &analytics.AppActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2)}
	for _, tc := range []struct {
		name              string
		call              func() error
		params, field, in string
	}{
		{"device client", func() error { _, err := c.GetDeviceActivity(ctx, "x", analyticstest.DeviceID, ok); return err }, "GetDeviceActivity", "clientID", `(got "x")`},
		{"device id", func() error { _, err := c.GetDeviceActivity(ctx, analyticstest.ClientID, "../x", ok); return err }, "GetDeviceActivity", "deviceID", "must be a UUID"},
		{"device nil params", func() error {
			_, err := c.GetDeviceActivity(ctx, analyticstest.ClientID, analyticstest.DeviceID, nil)
			return err
		}, "DeviceActivityParams", "StartDate", "is required"},
		{"device metric", func() error {
			_, err := c.GetDeviceActivity(ctx, analyticstest.ClientID, analyticstest.DeviceID, &analytics.DeviceActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2), Metric: "user count"})
			return err
		}, "DeviceActivityParams", "Metric", "spaces"},
		{"device granularity", func() error {
			_, err := c.GetDeviceActivity(ctx, analyticstest.ClientID, analyticstest.DeviceID, &analytics.DeviceActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2), Granularity: "hourly"})
			return err
		}, "DeviceActivityParams", "Granularity", `(got "hourly")`},
		{"app id", func() error { _, err := c.GetAppActivity(ctx, analyticstest.ClientID, "", okApp); return err }, "GetAppActivity", "appID", `(got "")`},
		{"app end before start", func() error {
			_, err := c.GetAppActivity(ctx, analyticstest.ClientID, analyticstest.AppID, &analytics.AppActivityParams{StartDate: date(2026, 1, 2), EndDate: date(2026, 1, 1)})
			return err
		}, "AppActivityParams", "EndDate", "2026-01-01 is before StartDate 2026-01-02"},
		{"app metric control", func() error {
			_, err := c.GetAppActivity(ctx, analyticstest.ClientID, analyticstest.AppID, &analytics.AppActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2), Metric: "a\x7fb"})
			return err
		}, "AppActivityParams", "Metric", "control"},
	} {
		err := tc.call()
		var ve *analytics.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.params, ve.Params, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Contains(t, err.Error(), tc.in, tc.name)
	}
	assert.Zero(t, srv.RequestCount(), "no request before validation passes")
}

func TestDeviceAndAppActivityErrors(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, analyticstest.WithApps(5))
	ctx := context.Background()
	p := &analytics.DeviceActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2)}
	_, err := c.GetDeviceActivity(ctx, analyticstest.ClientID, analyticstest.UserID, p)
	assert.True(t, errors.Is(err, analytics.ErrNotFound), "%v", err)
	_, err = c.GetDeviceActivity(ctx, analyticstest.ForbiddenClientID, analyticstest.DeviceID, p)
	assert.True(t, errors.Is(err, analytics.ErrForbidden), "%v", err)
	pa := &analytics.AppActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2)}
	_, err = c.GetAppActivity(ctx, analyticstest.ClientID, analyticstest.GeneratedAppID(5), pa)
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae, "WithApps(5) has apps 0..4")
	assert.Equal(t, 404, ae.StatusCode)
	assert.Equal(t, "App not found", ae.Message)
	// A metric the endpoint does not document is the server's 400.
	_, err = c.GetDeviceActivity(ctx, analyticstest.ClientID, analyticstest.DeviceID,
		&analytics.DeviceActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2), Metric: analytics.MetricActiveTime})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Equal(t, "Unknown metric: active-time", ae.Message)
}

// No limit is documented for device and app activity: a long range is one
// request, and a server that does refuse it gives its 400 unchanged.
func TestDeviceActivityServerRangeLimitSurfaces(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, "https://api.example.com/v2/clients/"+analyticstest.ClientID+"/analytics/devices/"+analyticstest.DeviceID+"/activity",
		httpmock.NewStringResponder(http.StatusBadRequest, seedError))
	_, err := c.GetDeviceActivity(context.Background(), analyticstest.ClientID, analyticstest.DeviceID,
		&analytics.DeviceActivityParams{StartDate: date(2025, 1, 1), EndDate: date(2026, 6, 1)})
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "invalid_parameter", ae.Code)
	assert.Equal(t, "Date range cannot exceed 90 days", ae.Message)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a 400 is not retried, and the range was not split")
	info := mt.GetCallCountInfo()
	assert.Equal(t, 1, info["GET https://api.example.com/v2/clients/"+analyticstest.ClientID+"/analytics/devices/"+analyticstest.DeviceID+"/activity"])
}

func TestAppActivityUnderFaults(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.FailNext(analyticstest.AllFaults(time.Millisecond, time.Millisecond)[:3]...)
	ts, err := c.GetAppActivity(context.Background(), analyticstest.ClientID, analyticstest.AppID,
		&analytics.AppActivityParams{StartDate: date(2026, 3, 2), EndDate: date(2026, 3, 8), Metric: analytics.MetricSessionCount})
	require.NoError(t, err)
	require.Len(t, ts.Data, 7)
	assert.EqualValues(t, 4, srv.RequestCount(), "three faults retried, then the answer")
}
