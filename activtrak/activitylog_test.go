package activtrak_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

func logIDs(items []activtrak.ActivityLogEntry) []int64 {
	out := make([]int64, len(items))
	for i, e := range items {
		out[i] = e.LogID
	}
	return out
}

func idRange(from, to int64) []int64 {
	var out []int64
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestListActivityLogRequestAndFields(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	params := &activtrak.ActivityLogParams{StartDate: day(2024, 6, 4), EndDate: day(2024, 6, 4), PageSize: 5}
	var pages []*activtrak.Page[activtrak.ActivityLogEntry]
	for p, err := range c.ListActivityLog(testCtx(t), params).Pages() {
		require.NoError(t, err)
		pages = append(pages, p)
		if len(pages) == 2 {
			break
		}
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/reports/v2/activitylog", reqs[0].RawPath)
	assert.Equal(t, "endDate=2024-06-04&pageSize=5&startDate=2024-06-04", reqs[0].RawQuery)
	assert.Equal(t, "Bearer "+activtraktest.APIKey, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "cursor="+pages[0].NextPageToken+"&endDate=2024-06-04&pageSize=5&startDate=2024-06-04", reqs[1].RawQuery)
	assert.Equal(t, idRange(25, 29), logIDs(pages[0].Items))
	assert.Equal(t, idRange(30, 34), logIDs(pages[1].Items))

	// Record 28: day 2, fourth of the day, user 4, milliseconds in its date.
	want := activtrak.ActivityLogEntry{
		LogID: 28, Productivity: -1,
		Date:       time.Date(2024, 6, 4, 9, 7, 30, 999e6, time.UTC),
		Time:       time.Date(2024, 6, 4, 9, 7, 30, 999e6, time.UTC), // from "date" (issue 13)
		ComputerID: 2004, Computer: "PC-004", PrimaryDomain: "corp.example",
		PrivateIP: "10.0.0.13", PublicIP: "203.0.113.7", LoginDomain: "CORP", User: "user04",
		Session: 5008, Duration: 204, ApplicationID: 106,
		Executable: "excel.exe", Description: "Budget.xlsx - Excel",
	}
	assert.Equal(t, want, pages[0].Items[3])
}

func TestListActivityLogNullablesAndWebsite(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	items, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 3), PageSize: 1}).Collect()
	require.NoError(t, err)
	require.Len(t, items, 24)
	tru, fls, site := true, false, int64(500)
	want := activtrak.ActivityLogEntry{
		LogID: 1, Productivity: -1, PopupAlarm: &tru, EmailAlarm: &fls,
		Date:       time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC),
		Time:       time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC), // from "date" (issue 13)
		ComputerID: 2001, Computer: "PC-001", PrimaryDomain: "corp.example",
		PrivateIP: "10.0.0.10", PublicIP: "203.0.113.7", LoginDomain: "CORP", User: "user01",
		Session: 5000, Duration: 15, ApplicationID: 100, WebsiteID: &site,
		Executable: "chrome.exe", Description: "Pull requests - GitHub", URL: "https://github.com/pulls",
	}
	assert.Equal(t, want, items[0])
	assert.Len(t, srv.Requests(), 25, "24 pages of one and the empty page that ends the walk")
}

func TestListActivityLogCompleteWalkAndCheckpoint(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{0, 3} {
		t.Run(fmt.Sprintf("readahead %d", ahead), func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			c := newClient(t, srv, activtrak.WithReadAhead(ahead))
			var got []int64
			var sizes []int
			var last string
			for p, err := range c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), PageSize: 50}).Pages() {
				require.NoError(t, err)
				got = append(got, logIDs(p.Items)...)
				sizes = append(sizes, len(p.Items))
				require.NotEmpty(t, p.NextPageToken)
				last = p.NextPageToken
			}
			assert.Equal(t, idRange(1, 168), got)
			assert.Equal(t, []int{50, 50, 50, 18}, sizes)
			reqs := srv.Requests()
			require.Len(t, reqs, 5, "four pages and one empty answer")
			assert.Equal(t, last, reqs[4].Query.Get("cursor"))
			assert.Empty(t, reqs[0].Query.Get("cursor"))
		})
	}
}

func TestListActivityLogResumeReturnsLateArrivals(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	params := activtrak.ActivityLogParams{StartDate: day(2024, 6, 5), PageSize: 1000}
	var checkpoint string
	var got []int64
	for p, err := range c.ListActivityLog(testCtx(t), &params).Pages() {
		require.NoError(t, err)
		got = append(got, logIDs(p.Items)...)
		checkpoint = p.NextPageToken
	}
	assert.Equal(t, idRange(49, 168), got)

	// Nothing new: one request, no items, no error.
	params.PageToken = checkpoint
	srv.ResetRequests()
	items, err := c.ListActivityLog(testCtx(t), &params).Collect()
	require.NoError(t, err)
	assert.Empty(t, items)
	assert.Len(t, srv.Requests(), 1)

	// A late record for a day before StartDate and one for a later day.
	old, _ := srv.Record(0)
	old.LogID, old.DateText = 0, ""
	newer := old
	newer.Date = day(2024, 6, 10).Add(9 * time.Hour)
	stored := srv.Append(old, newer)
	assert.Equal(t, []int64{169, 170}, []int64{stored[0].LogID, stored[1].LogID})

	items, err = c.ListActivityLog(testCtx(t), &params).Collect()
	require.NoError(t, err)
	assert.Equal(t, []int64{169, 170}, logIDs(items))
	assert.Equal(t, time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC), items[0].Date)
	assert.Equal(t, "user01", items[0].User)
}

func TestListActivityLogOddTimestampsDoNotFailThePage(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t, activtraktest.WithRecordsPerDay(0))
	c := newEAClient(t, srv)
	base := activtraktest.LogRecord{User: "user01", Date: day(2024, 6, 3)}
	var recs []activtraktest.LogRecord
	for _, text := range []string{
		"2024-06-03T10:00:00+02:00",
		"2024-06-03T10:00:00.5",
		"2024-06-03 10:00:00",
		"not a date",
		"2024-06-03T10:00:00.123456Z",
		"2024-06-03",
	} {
		r := base
		r.DateText = text
		recs = append(recs, r)
	}
	srv.Append(recs...)
	items, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 1)}).Collect()
	require.NoError(t, err)
	require.Len(t, items, 6)
	want := []time.Time{
		time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC),
		time.Date(2024, 6, 3, 10, 0, 0, 500e6, time.UTC),
		time.Date(2024, 6, 3, 10, 0, 0, 0, time.UTC),
		{},
		time.Date(2024, 6, 3, 10, 0, 0, 123456e3, time.UTC),
		day(2024, 6, 3),
	}
	for i, w := range want {
		assert.True(t, w.Equal(items[i].Date), "item %d: want %v, got %v", i, w, items[i].Date)
		assert.Equal(t, "user01", items[i].User)
	}
}

func TestListActivityLogDefaultsAndFilters(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	// nil params: no startDate (the fake's today is its last day), 1000 a page.
	items, err := c.ListActivityLog(testCtx(t), nil).Collect()
	require.NoError(t, err)
	assert.Equal(t, idRange(145, 168), logIDs(items))
	assert.Equal(t, "pageSize=1000", srv.Requests()[0].RawQuery)

	for _, tc := range []struct {
		name   string
		params activtrak.ActivityLogParams
		key    string
		value  string
		count  int
		check  func(activtrak.ActivityLogEntry) bool
	}{
		{"user", activtrak.ActivityLogParams{UserID: 1002}, "userId", "1002", 35,
			func(e activtrak.ActivityLogEntry) bool { return e.User == "user02" }},
		{"group", activtrak.ActivityLogParams{GroupID: 302}, "groupId", "302", 70,
			func(e activtrak.ActivityLogEntry) bool { return e.User == "user02" || e.User == "user04" }},
		{"computer", activtrak.ActivityLogParams{ComputerID: 2003}, "computerId", "2003", 35,
			func(e activtrak.ActivityLogEntry) bool { return e.ComputerID == 2003 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.params
			p.StartDate, p.PageSize = day(2024, 6, 3), 10
			items, err := c.ListActivityLog(testCtx(t), &p).Collect()
			require.NoError(t, err)
			assert.Len(t, items, tc.count)
			for _, e := range items {
				assert.True(t, tc.check(e), "record %d (%s, %d)", e.LogID, e.User, e.ComputerID)
			}
			last, _ := srv.LastRequest()
			assert.Equal(t, tc.value, last.Query.Get(tc.key))
		})
	}
}

func TestListActivityLogValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		params activtrak.ActivityLogParams
		field  string
		msg    string
	}{
		{"end before start", activtrak.ActivityLogParams{StartDate: day(2024, 6, 5), EndDate: day(2024, 6, 4)}, "EndDate",
			"activtrak: ActivityLogParams.EndDate: must not be before StartDate (2024-06-04 is before 2024-06-05)"},
		{"page size", activtrak.ActivityLogParams{PageSize: 1001}, "PageSize",
			"activtrak: ActivityLogParams.PageSize: must be between 1 and 1000, or 0 for 1000 (got 1001)"},
		{"two filters", activtrak.ActivityLogParams{GroupID: 1, ComputerID: 2}, "",
			"activtrak: ActivityLogParams: set at most one of UserID, GroupID, ComputerID (got 2)"},
		{"user id", activtrak.ActivityLogParams{UserID: -3}, "UserID", "(got -3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			c := newClient(t, srv)
			check := func(err error) {
				t.Helper()
				var ve *activtrak.ValidationError
				require.True(t, errors.As(err, &ve), "got %v", err)
				assert.Equal(t, "ActivityLogParams", ve.Params)
				assert.Equal(t, tc.field, ve.Field)
				assert.Contains(t, err.Error(), tc.msg)
			}
			_, err := c.ListActivityLog(testCtx(t), &tc.params).Collect()
			check(err)
			n := 0
			for p, err := range c.FollowActivityLog(testCtx(t), &tc.params, time.Second) {
				n++
				assert.Nil(t, p)
				check(err)
			}
			assert.Equal(t, 1, n)
			assert.Zero(t, srv.RequestCount(), "no request may be sent")
		})
	}
}
