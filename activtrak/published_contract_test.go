package activtrak_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/contract"
	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// The default client speaks the public contract: the key in x-api-key, no
// Authorization header, filters under their public names.
func TestPublicContractOnTheWire(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	ctx := testCtx(t)
	_, err := c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3), UserID: 1002}).Collect()
	require.NoError(t, err)
	_, err = c.ListComputerWorkingHours(ctx, &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3), ComputerID: 2002}).Collect()
	require.NoError(t, err)
	_, err = c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 3),
		UserID: -1, MinDuration: 30 * time.Second, MaxDuration: 2 * time.Minute, PageSize: 500}).Collect()
	require.NoError(t, err)
	_, err = c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 3), ComputerID: 2003}).Collect()
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 6) // each log walk ends on an empty page
	for _, r := range reqs {
		assert.Equal(t, []string{activtraktest.APIKey}, r.Header.Values("X-Api-Key"))
		assert.Empty(t, r.Header.Get("Authorization"))
	}
	assert.Equal(t, "clientId=1002&from=2024-06-03&page=1&pageSize=1000&to=2024-06-03", reqs[0].RawQuery)
	assert.Equal(t, "deviceId=2002&from=2024-06-03&page=1&pageSize=1000&to=2024-06-03", reqs[1].RawQuery)
	assert.Equal(t, "clientId=-1&endDate=2024-06-03&maxDuration=120&minDuration=30&pageSize=500&startDate=2024-06-03", reqs[2].RawQuery)
	assert.Equal(t, url.Values{"deviceId": {"2003"}, "startDate": {"2024-06-03"}, "endDate": {"2024-06-03"}, "pageSize": {"1000"}}, reqs[4].Query)
}

// The key goes on the wire as the document spells the header: "x-api-key".
func TestAPIKeyHeaderNameOnTheWire(t *testing.T) {
	t.Parallel()
	var names []string
	srv := newFake(t)
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		for k := range r.Header {
			names = append(names, k)
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c := newClient(t, srv, activtrak.WithHTTPClient(&http.Client{Transport: rt}))
	_, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 3)}).Collect()
	require.NoError(t, err)
	assert.Contains(t, names, "x-api-key")
	assert.NotContains(t, names, "Authorization")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// WithEarlyAccess: Bearer and userId/computerId on every report.
func TestEarlyAccessContractOnTheWire(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	ctx := testCtx(t)
	_, err := c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3), ComputerID: 2002}).Collect()
	require.NoError(t, err)
	_, err = c.ListComputerWorkingHours(ctx, &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3), UserID: 1002}).Collect()
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer "+activtraktest.APIKey, reqs[0].Header.Get("Authorization"))
	assert.Empty(t, reqs[0].Header.Get("x-api-key"))
	assert.Equal(t, "computerId=2002&from=2024-06-03&page=1&pageSize=1000&to=2024-06-03", reqs[0].RawQuery)
	assert.Equal(t, "from=2024-06-03&page=1&pageSize=1000&to=2024-06-03&userId=1002", reqs[1].RawQuery)
}

// Bad filters and durations are *ValidationError before any request.
func TestPublicContractRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	ea := newEAClient(t, srv)
	ctx := testCtx(t)
	wh := func(p activtrak.WorkingHoursParams) *activtrak.WorkingHoursParams {
		p.From, p.To = day(2024, 6, 3), day(2024, 6, 3)
		return &p
	}
	cases := []struct {
		name, field, msg string
		run              func() error
	}{
		{"users report has no deviceId", "ComputerID", "is not a filter of ListUserWorkingHours", func() error {
			_, err := c.ListUserWorkingHours(ctx, wh(activtrak.WorkingHoursParams{ComputerID: 2001})).Collect()
			return err
		}},
		{"computers report has no clientId", "UserID", "is not a filter of ListComputerWorkingHours", func() error {
			_, err := c.ListComputerWorkingHours(ctx, wh(activtrak.WorkingHoursParams{UserID: 1001})).Collect()
			return err
		}},
		{"negative min", "MinDuration", "must not be negative", func() error {
			_, err := c.ListActivityLog(ctx, &activtrak.ActivityLogParams{MinDuration: -time.Second}).Collect()
			return err
		}},
		{"fractional max", "MaxDuration", "must be whole seconds", func() error {
			_, err := c.ListActivityLog(ctx, &activtrak.ActivityLogParams{MaxDuration: 1500 * time.Millisecond}).Collect()
			return err
		}},
		{"min above max", "MaxDuration", "must not be less than MinDuration", func() error {
			_, err := c.ListActivityLog(ctx, &activtrak.ActivityLogParams{MinDuration: time.Minute, MaxDuration: 59 * time.Second}).Collect()
			return err
		}},
		{"durations under early access", "MinDuration", "is not a filter of the early-access contract", func() error {
			_, err := ea.ListActivityLog(ctx, &activtrak.ActivityLogParams{MinDuration: time.Minute}).Collect()
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.run()
		var ve *activtrak.ValidationError
		require.True(t, errors.As(err, &ve), "%s: %v", tc.name, err)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Contains(t, err.Error(), tc.msg, tc.name)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")

	// Equal bounds are fine (inclusive), and so is a follow.
	_, err := c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 3),
		MinDuration: 15 * time.Second, MaxDuration: 15 * time.Second}).Collect()
	require.NoError(t, err)
}

// MinDuration and MaxDuration are inclusive bounds, applied by the fake as
// the document says; every record returned lies within them.
func TestActivityLogDurationBounds(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	all, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 4)}).Collect()
	require.NoError(t, err)
	some, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 4),
		MinDuration: 100 * time.Second, MaxDuration: 300 * time.Second}).Collect()
	require.NoError(t, err)
	var want []int64
	for _, e := range all {
		if e.Duration >= 100 && e.Duration <= 300 {
			want = append(want, e.LogID)
		}
	}
	require.NotEmpty(t, want)
	require.Less(t, len(want), len(all))
	assert.Equal(t, want, logIDs(some))
}

// A public-contract record decodes every new field, and Time comes from
// time_utc.
func TestPublicActivityLogRecordFields(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	items, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 4), EndDate: day(2024, 6, 4), PageSize: 5}).Collect()
	require.NoError(t, err)
	// Record 25: the first of day 2, user 1, a website visit.
	got := items[0]
	assert.Equal(t, activtrak.ActivityLogEntry{
		LogID: 25, Productivity: -1, EmailAlarm: got.EmailAlarm, PopupAlarm: got.PopupAlarm,
		Time:       time.Date(2024, 6, 4, 8, 0, 0, 888e6, time.UTC),
		TimeZone:   activtraktest.FakeTimeZone,
		ComputerID: 2001, Computer: "PC-001", PrimaryDomain: "corp.example",
		PrivateIP: "10.0.0.10", PublicIP: "203.0.113.7", LoginDomain: "CORP", User: "user01",
		Session: 5005, Duration: got.Duration, ApplicationID: got.ApplicationID, WebsiteID: got.WebsiteID,
		Executable: got.Executable, Description: got.Description, URL: got.URL,
		TitleBar: got.Description, Website: got.Website, Subpage: got.Subpage, Location: "Remote",
		ScreenshotURL: got.ScreenshotURL,
	}, got)
	assert.True(t, got.Date.IsZero(), "no early-access date in a public answer")
	for _, e := range items {
		assert.Equal(t, time.UTC, e.Time.Location())
		assert.False(t, e.Time.IsZero())
		if e.URL != "" {
			assert.Equal(t, e.URL, "https://"+e.Website+e.Subpage)
		}
		if e.LogID%4 == 0 {
			assert.Equal(t, "https://screenshots.activtrak.example/"+strconv.FormatInt(e.LogID, 10)+".jpg", e.ScreenshotURL)
		} else {
			assert.Empty(t, e.ScreenshotURL)
		}
	}
}

// ActivityLogEntry.Time: time_utc, else time (converted to UTC), else the
// early-access date; timestamps read leniently.
func TestActivityLogTimeSources(t *testing.T) {
	t.Parallel()
	a := &fakeserver.Answerer{Host: "127.0.0.1:9", Then: []byte(`{"activity":[],"cursor":"c"}`)}
	c, err := activtrak.NewClient(activtrak.WithBaseURL("http://127.0.0.1:9"), activtrak.WithAPIKey("k"),
		activtrak.WithHTTPClient(&http.Client{Transport: a}), activtrak.WithRetryPolicy(activtrak.RetryPolicy{MaxRetries: 0}))
	require.NoError(t, err)
	a.Set(200, http.Header{"Content-Type": {"application/json"}}, []byte(`{"activity":[
		{"logId":1,"time":"2024-06-04T04:00:00-04:00","time_utc":"2024-06-04T08:00:00.5Z","time_zone":"America/New_York","date":"2020-01-01T00:00:00"},
		{"logId":2,"time":"2024-06-04T04:00:00.25-04:00","time_utc":null,"time_zone":null},
		{"logId":3,"time":"2024-06-04T09:30:00","titleBar":null,"website":null,"subpage":null,"location":null,"screenshotUrl":null},
		{"logId":4,"date":"2024-06-04T10:00:00.123"},
		{"logId":5,"time_utc":"2024-06-04T11:00:00+02:00"},
		{"logId":6,"time_utc":"not a time"}],"cursor":"c"}`), false)
	items, err := c.ListActivityLog(context.Background(), nil).Collect()
	require.NoError(t, err)
	want := []time.Time{
		time.Date(2024, 6, 4, 8, 0, 0, 5e8, time.UTC),
		time.Date(2024, 6, 4, 8, 0, 0, 25e7, time.UTC),
		time.Date(2024, 6, 4, 9, 30, 0, 0, time.UTC),
		time.Date(2024, 6, 4, 10, 0, 0, 123e6, time.UTC),
		time.Date(2024, 6, 4, 9, 0, 0, 0, time.UTC),
		{},
	}
	require.Len(t, items, len(want))
	for i, e := range items {
		assert.True(t, want[i].Equal(e.Time), "record %d: %v", e.LogID, e.Time)
		if !want[i].IsZero() {
			assert.Equal(t, time.UTC, e.Time.Location(), "record %d", e.LogID)
		}
	}
	assert.Equal(t, "America/New_York", items[0].TimeZone)
	assert.Equal(t, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), items[0].Date)
	assert.Empty(t, items[1].TimeZone)
	assert.Empty(t, items[2].TitleBar)
}

// Working-hours rows of the public contract: camel-case ids, names,
// TotalOfflineMeetings and location (users); the early-access lower-case ids
// decode into the same fields.
func TestPublicWorkingHoursFields(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	rows, err := c.ListUserWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3)}).Collect()
	require.NoError(t, err)
	require.Len(t, rows, 5)
	r := rows[1]
	assert.Equal(t, int64(1002), r.UserID)
	assert.Equal(t, int64(2002), r.ComputerID)
	assert.Equal(t, "user02", r.User)
	assert.Equal(t, "PC-002", r.Computer)
	assert.Equal(t, int64(1), r.TotalOfflineMeetings)
	assert.Equal(t, "Remote", r.Location)
	assert.JSONEq(t, `["user02"]`, string(r.Users[0]))

	comp, err := c.ListComputerWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3), ComputerID: 2003}).Collect()
	require.NoError(t, err)
	require.Len(t, comp, 1)
	assert.Equal(t, int64(1003), comp[0].UserID)
	assert.Equal(t, "PC-003", comp[0].Computer)
	assert.Zero(t, comp[0].TotalOfflineMeetings)
	assert.Empty(t, comp[0].Location)

	var ea activtrak.WorkingHours
	require.NoError(t, ea.UnmarshalJSON([]byte(`{"date":"2024-06-03T00:00:00","userid":7,"computerid":8,"userId":null}`)))
	assert.Equal(t, int64(7), ea.UserID, "a null userId leaves the id the lower-case key gave")
	require.NoError(t, ea.UnmarshalJSON([]byte(`{"date":"2024-06-03T00:00:00","userid":7,"computerid":8,"TotalOfflineMeetings":2,"location":"HQ","user":null}`)))
	assert.Equal(t, int64(7), ea.UserID)
	assert.Equal(t, int64(8), ea.ComputerID)
	assert.Equal(t, int64(2), ea.TotalOfflineMeetings)
	assert.Equal(t, "HQ", ea.Location)
	assert.Empty(t, ea.User)
}

// activtraktest in its default (public) mode refuses the early-access names
// and a Bearer key; in early-access mode it refuses the public names.
func TestFakeRefusesTheOtherContract(t *testing.T) {
	t.Parallel()
	pub := newFake(t)
	ea := newEAFake(t)
	do := func(srv *activtraktest.Server, path string, hdr map[string]string, offContract bool) int {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if offContract {
			req.Header.Set(contract.ExpectViolation, "")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	key := map[string]string{"x-api-key": activtraktest.APIKey}
	bearer := map[string]string{"Authorization": "Bearer " + activtraktest.APIKey}
	wh := "/reports/v2/workinghours/users?from=2024-06-03&to=2024-06-03"
	assert.Equal(t, 200, do(pub, wh, key, false))
	assert.Equal(t, 401, do(pub, wh, bearer, true), "Bearer alone")
	assert.Equal(t, 400, do(pub, wh+"&userId=1001", key, true))
	assert.Equal(t, 400, do(pub, wh+"&deviceId=2001", key, true), "users report: no deviceId")
	assert.Equal(t, 400, do(pub, "/reports/v2/workinghours/computers?from=2024-06-03&to=2024-06-03&clientId=1001", key, true))
	assert.Equal(t, 400, do(pub, "/reports/v2/activitylog?computerId=2001", key, true))
	assert.Equal(t, 200, do(ea, wh+"&userId=1001", bearer, false))
	assert.Equal(t, 401, do(ea, wh, key, true), "x-api-key in early-access mode")
	assert.Equal(t, 400, do(ea, wh+"&clientId=1001", bearer, true))
	assert.Equal(t, 400, do(ea, "/reports/v2/activitylog?minDuration=5", bearer, true))
}
