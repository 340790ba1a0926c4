package sdelements_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

func TestCompleteWalk(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(1234)})
	got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 100}))
	assert.Equal(t, descending(1234, 1), got)
	reqs := srv.Requests()
	require.Len(t, reqs, 13)
	assert.Equal(t, "page_size=100", reqs[0].RawQuery)
	for i, r := range reqs[1:] {
		assert.Equal(t, url.Values{"page": {itoa(i + 2)}, "page_size": {"100"}}, r.Query)
		assert.Equal(t, "/api/v2/activities/", r.RawPath)
		assert.Equal(t, "Token "+sdelementstest.Token, r.Header.Get("Authorization"))
	}
}

func TestPagesAndTokens(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(7)})
	var sizes []int
	var tokens []string
	for page, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 3}).Pages() {
		require.NoError(t, err)
		sizes = append(sizes, len(page.Items))
		tokens = append(tokens, page.NextPageToken)
		if assert.NotNil(t, page.Total, "the answer's count") {
			assert.Equal(t, 7, *page.Total)
		}
	}
	assert.Equal(t, []int{3, 3, 1}, sizes)
	assert.Equal(t, []string{srv.URL + "/api/v2/activities/?page=2&page_size=3",
		srv.URL + "/api/v2/activities/?page=3&page_size=3", ""}, tokens)
}

func TestResumeFromSavedToken(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(50)})
	p := &sdelements.ListActivitiesParams{PageSize: 10, Project: 0, DateFrom: srv.Date(5)}
	var token string
	var first []int64
	for page, err := range c.ListActivities(ctx, p).Pages() {
		require.NoError(t, err)
		for _, a := range page.Items {
			first = append(first, a.ID)
		}
		token = page.NextPageToken
		break // stop after page one
	}
	require.NotEmpty(t, token)
	assert.Equal(t, descending(50, 41), first)

	// Another client (another process) resumes with only the token.
	c2, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	require.NoError(t, err)
	srv.ResetRequests()
	rest := ids(t, c2.ListActivities(ctx, &sdelements.ListActivitiesParams{PageToken: token}))
	assert.Equal(t, descending(40, 5), rest)
	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "2", reqs[0].Query.Get("page"))
	assert.Equal(t, "10", reqs[0].Query.Get("page_size"))
	assert.Equal(t, p.DateFrom.UTC().Format("2006-01-02T15:04:05.999999Z"), reqs[0].Query.Get("date_from"))
	assert.Equal(t, []string{"10"}, reqs[0].Query["page_size"], "page_size must not be doubled")
}

func TestForeignNextLinkRefused(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(30),
		sdelementstest.WithLinkBase("https://evil.example.com")})
	var got []int64
	var gotErr error
	for a, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 10}).All() {
		if err != nil {
			gotErr = err
			continue
		}
		got = append(got, a.ID)
	}
	assert.Equal(t, descending(30, 21), got)
	require.Error(t, gotErr)
	assert.True(t, errors.Is(gotErr, sdelements.ErrForeignLink), gotErr)
	assert.Contains(t, gotErr.Error(), "evil.example.com")
	assert.Len(t, srv.Requests(), 1, "the foreign link must not be requested")
}

func TestForeignOrWrongPageTokenRefusedBeforeRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, nil)
	cases := map[string]string{
		"https://evil.example.com/api/v2/activities/?page=2&page_size=100":              "another host",
		"http://" + strings.TrimPrefix(srv.URL, "http://") + "/api/v2/projects/?page=2": "not the activities list",
		"/api/v2/users/?page=2": "not the activities list",
	}
	for tok, text := range cases {
		_, err := c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageToken: tok}).Collect()
		var ve *sdelements.ValidationError
		require.True(t, errors.As(err, &ve), "%s: %v", tok, err)
		assert.Equal(t, "PageToken", ve.Field)
		assert.Contains(t, err.Error(), text)
	}
	_, err := c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageToken: "https://evil.example.com/api/v2/activities/"}).Collect()
	assert.True(t, errors.Is(err, sdelements.ErrForeignLink))
	assert.Empty(t, srv.Requests())
}

func TestRelativeTokenResolvedOnInstance(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(250)})
	// A root-relative token without page_size: resolved on the instance, and
	// the default page size added.
	got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageToken: "/api/v2/activities/?page=2"}))
	assert.Equal(t, descending(150, 1), got)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"page": {"2"}, "page_size": {"100"}}, reqs[0].Query)
	assert.Equal(t, url.Values{"page": {"3"}, "page_size": {"100"}}, reqs[1].Query)
}

func TestBareResultsIsOneLastPage(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(30), sdelementstest.WithBareResults()})
	var pages int
	var got []int64
	for page, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 10}).Pages() {
		require.NoError(t, err)
		pages++
		assert.Empty(t, page.NextPageToken)
		assert.Nil(t, page.Total, "a bare list has no count")
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
	}
	assert.Equal(t, 1, pages)
	assert.Equal(t, descending(30, 21), got)
	assert.Len(t, srv.Requests(), 1)
}

// seedServer answers the documentation's examples verbatim.
const seedList = `{
"results": [{"id": 5, "name": "CreatedGroupActivity", "actor": 1, "text": "Admin Testerton created group group A",
 "date": "2016-05-06T14:53:28.557156Z", "data": {"target_group_desc": "group A", "group": "G1", "group_desc": "group A"},
 "icon": "user", "log_level": "success"},
{"id": 3, "date": "2016-03-30T17:10:20.532634+00:00", "actor": 7, "name": "ModifiedBusinessUnitActivity",
 "text": "Admin Testerton modified business unit Example BU 500", "data": {"business_unit": 5, "business_unit_desc": "Example BU 500"},
 "icon": "edit", "log_level": ""},
{"id": 2, "date": "2016-03-30T15:16:05.659610+00:00", "actor": 1, "name": "UserCreatedActivity",
 "text": "Admin Testerton created user Cindy Lu", "data": {"user": "U7"}, "icon": "user", "log_level": ""},
{"id": 1, "date": "2016-03-30T15:14:46.634929+00:00", "actor": null, "name": "LoggedInActivity",
 "text": "Admin Testerton logged in", "data": {}, "icon": "user", "log_level": ""}]
}`

func handlerClient(t *testing.T, h http.HandlerFunc) *sdelements.Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c, err := sdelements.NewClient(sdelements.WithBaseURL(ts.URL+"/api/v2"), sdelements.WithToken("tok-1234"),
		sdelements.WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	return c
}

func TestDecodeSeedExample(t *testing.T) {
	t.Parallel()
	c := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(seedList))
	})
	got, err := c.ListActivities(ctx, nil).Collect()
	require.NoError(t, err)
	require.Len(t, got, 4)
	one := int64(1)
	seven := int64(7)
	first := got[0]
	assert.Equal(t, int64(5), first.ID)
	assert.Equal(t, sdelements.ActivityCreatedGroup, first.Name)
	assert.Equal(t, &one, first.Actor)
	assert.Equal(t, "Admin Testerton created group group A", first.Text)
	assert.Equal(t, time.Date(2016, 5, 6, 14, 53, 28, 557156000, time.UTC), first.Date)
	assert.JSONEq(t, `{"target_group_desc": "group A", "group": "G1", "group_desc": "group A"}`, string(first.Data))
	assert.Equal(t, "user", first.Icon)
	assert.Equal(t, sdelements.LogLevelSuccess, first.LogLevel)
	g, ok := first.DataString("group")
	assert.True(t, ok)
	assert.Equal(t, "G1", g)

	bu := got[1]
	assert.Equal(t, sdelements.ActivityModifiedBusinessUnit, bu.Name)
	assert.Equal(t, &seven, bu.Actor)
	assert.Equal(t, time.Date(2016, 3, 30, 17, 10, 20, 532634000, time.UTC), bu.Date)
	assert.Equal(t, time.UTC, bu.Date.Location())
	assert.Equal(t, int64(5), bu.BusinessUnitID())
	assert.Equal(t, "Example BU 500", bu.BusinessUnitDesc())
	assert.Equal(t, sdelements.LogLevelNone, bu.LogLevel)
	assert.Equal(t, "edit", bu.Icon)

	assert.Equal(t, sdelements.ActivityUserCreated, got[2].Name)
	u, ok := got[2].DataString("user")
	assert.True(t, ok)
	assert.Equal(t, "U7", u)

	last := got[3]
	assert.Equal(t, sdelements.ActivityLoggedIn, last.Name)
	assert.Nil(t, last.Actor)
	assert.Equal(t, time.Date(2016, 3, 30, 15, 14, 46, 634929000, time.UTC), last.Date)
	assert.Equal(t, "{}", string(last.Data))
}

func TestOddAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		ids        []int64
		err        string
	}{
		{"bare list", `[{"id": 2}, {"id": 1}]`, []int64{2, 1}, ""},
		{"empty bare list", ` [] `, nil, ""},
		{"empty results", `{"count": 0, "next": null, "previous": null, "results": []}`, nil, ""},
		{"no results", `{"count": 3}`, nil, `no "results"`},
		{"null results", `{"results": null}`, nil, `no "results"`},
		{"not json", `<html>oops</html>`, nil, "decoding activities page"},
		{"bad date", `{"results": [{"id": 1, "date": "2016-03-30 15:14:46"}]}`, nil, "parsing time"},
		{"naive date", `{"results": [{"id": 1, "date": "2016-03-30T15:14:46.123456"}]}`, nil, "parsing time"},
		{"null fields", `{"results": [{"id": 1, "date": null, "data": null, "actor": null}]}`, []int64{1}, ""},
		{"results not a list", `{"results": {"id": 1}}`, nil, "decoding activities page"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := handlerClient(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(tc.body)) })
			got, err := c.ListActivities(ctx, nil).Collect()
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				var re *sdelements.RequestError
				assert.True(t, errors.As(err, &re), err)
				return
			}
			require.NoError(t, err)
			var gotIDs []int64
			for _, a := range got {
				gotIDs = append(gotIDs, a.ID)
				if tc.name == "null fields" {
					assert.True(t, a.Date.IsZero())
					assert.Nil(t, a.Data)
					assert.Nil(t, a.Actor)
				}
			}
			assert.Equal(t, tc.ids, gotIDs)
		})
	}
}

func TestNextLinkWithoutPageSizeGetsIt(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var queries []url.Values
	c := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		queries = append(queries, r.URL.Query())
		switch n {
		case 1: // a root-relative next link without page_size
			_, _ = w.Write([]byte(`{"count": 2, "next": "/api/v2/activities/?page=2", "previous": null, "results": [{"id": 2}]}`))
		default:
			_, _ = w.Write([]byte(`{"count": 2, "next": null, "previous": "/api/v2/activities/", "results": [{"id": 1}]}`))
		}
	})
	got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 1}))
	assert.Equal(t, []int64{2, 1}, got)
	require.Len(t, queries, 2)
	assert.Equal(t, url.Values{"page": {"2"}, "page_size": {"1"}}, queries[1])
}

func TestEmptyPageWithNextIsFollowedAndRepeatStops(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			_, _ = w.Write([]byte(`{"next": "/api/v2/activities/?page=2&page_size=100", "results": []}`))
		case 2:
			_, _ = w.Write([]byte(`{"next": "/api/v2/activities/?page=2&page_size=100", "results": [{"id": 9}]}`))
		default:
			t.Errorf("unexpected request %s", r.URL)
		}
	})
	got := ids(t, c.ListActivities(ctx, nil))
	assert.Equal(t, []int64{9}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestDecodedFieldsMatchFake(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(120)})
	got, err := c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 50}).Collect()
	require.NoError(t, err)
	require.Len(t, got, 120)
	for _, a := range got {
		want, ok := srv.Activity(a.ID)
		require.True(t, ok)
		assertSame(t, want, a)
	}
}

func assertSame(t *testing.T, want sdelementstest.Activity, a sdelements.Activity) {
	t.Helper()
	assert.Equal(t, want.ID, a.ID)
	assert.Equal(t, want.Name, a.Name)
	assert.Equal(t, want.Actor, a.Actor)
	assert.Equal(t, want.Text, a.Text)
	assert.True(t, want.Date.Equal(a.Date), "%d: %s vs %s", a.ID, want.Date, a.Date)
	assert.Equal(t, want.Icon, a.Icon)
	assert.Equal(t, want.LogLevel, string(a.LogLevel))
	wantData, err := json.Marshal(want.Data)
	require.NoError(t, err)
	assert.JSONEq(t, string(wantData), string(a.Data))
	desc := func(k string) string { s, _ := want.Data[k].(string); return s }
	assert.Equal(t, desc("application_desc"), a.ApplicationDesc())
	assert.Equal(t, desc("business_unit_desc"), a.BusinessUnitDesc())
	assert.Equal(t, desc("project_desc"), a.ProjectDesc())
	assert.Equal(t, desc("standard"), a.Standard())
	assert.Equal(t, desc("standard_desc"), a.StandardDesc())
	id := func(k string) int64 { n, _ := want.Data[k].(int64); return n }
	assert.Equal(t, id("application"), a.ApplicationID())
	assert.Equal(t, id("business_unit"), a.BusinessUnitID())
	assert.Equal(t, id("project"), a.ProjectID())
}

func TestGetActivity(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(40)})
	for _, id := range []int64{1, 2, 17, 40} {
		a, err := c.GetActivity(ctx, id)
		require.NoError(t, err)
		want, _ := srv.Activity(id)
		assertSame(t, want, *a)
		r, _ := srv.LastRequest()
		assert.Equal(t, "/api/v2/activities/"+itoa(int(id))+"/", r.RawPath)
		assert.Empty(t, r.RawQuery)
	}
	_, err := c.GetActivity(ctx, 41)
	require.Error(t, err)
	assert.True(t, errors.Is(err, sdelements.ErrNotFound))
	var apiErr *sdelements.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "Not found.", apiErr.Detail)
	assert.Equal(t, "Not found.", apiErr.Message)
}

func TestFiltersSelectTheRightActivities(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(600)})
	all := make([]sdelementstest.Activity, 0, 600)
	for id := int64(600); id >= 1; id-- {
		a, _ := srv.Activity(id)
		all = append(all, a)
	}
	str := func(a sdelementstest.Activity, k string) string { s, _ := a.Data[k].(string); return s }
	num := func(a sdelementstest.Activity, k string) int64 { n, _ := a.Data[k].(int64); return n }
	from, to := srv.Date(100), srv.Date(250)
	cases := []struct {
		name   string
		params sdelements.ListActivitiesParams
		keep   func(a sdelementstest.Activity) bool
	}{
		{"actor", sdelements.ListActivitiesParams{Actor: 3}, func(a sdelementstest.Activity) bool { return a.Actor != nil && *a.Actor == 3 }},
		{"user", sdelements.ListActivitiesParams{User: 2}, func(a sdelementstest.Activity) bool { return str(a, "user") == "U2" }},
		{"application", sdelements.ListActivitiesParams{Application: 4}, func(a sdelementstest.Activity) bool { return num(a, "application") == 4 }},
		{"application_desc", sdelements.ListActivitiesParams{ApplicationDesc: "Application 4"}, func(a sdelementstest.Activity) bool { return str(a, "application_desc") == "Application 4" }},
		{"business_unit", sdelements.ListActivitiesParams{BusinessUnit: 2}, func(a sdelementstest.Activity) bool { return num(a, "business_unit") == 2 }},
		{"business_unit_desc", sdelements.ListActivitiesParams{BusinessUnitDesc: "Business Unit 3"}, func(a sdelementstest.Activity) bool { return str(a, "business_unit_desc") == "Business Unit 3" }},
		{"project", sdelements.ListActivitiesParams{Project: 7}, func(a sdelementstest.Activity) bool { return num(a, "project") == 7 }},
		{"project_desc", sdelements.ListActivitiesParams{ProjectDesc: "Project 7"}, func(a sdelementstest.Activity) bool { return str(a, "project_desc") == "Project 7" }},
		{"id", sdelements.ListActivitiesParams{ID: 321}, func(a sdelementstest.Activity) bool { return a.ID == 321 }},
		{"name", sdelements.ListActivitiesParams{Name: sdelements.ActivityLoggedIn}, func(a sdelementstest.Activity) bool { return a.Name == "LoggedInActivity" }},
		{"standard", sdelements.ListActivitiesParams{Standard: "T21"}, func(a sdelementstest.Activity) bool { return str(a, "standard") == "T21" }},
		{"standard custom", sdelements.ListActivitiesParams{Standard: "CT2"}, func(a sdelementstest.Activity) bool { return str(a, "standard") == "CT2" }},
		{"standard_desc", sdelements.ListActivitiesParams{StandardDesc: "T8: Validate input before use"}, func(a sdelementstest.Activity) bool {
			return str(a, "standard_desc") == "T8: Validate input before use"
		}},
		{"dates", sdelements.ListActivitiesParams{DateFrom: from, DateTo: to}, func(a sdelementstest.Activity) bool { return !a.Date.Before(from) && !a.Date.After(to) }},
		{"dates and name", sdelements.ListActivitiesParams{DateFrom: from, Name: "ProjectCreatedActivity"}, func(a sdelementstest.Activity) bool {
			return !a.Date.Before(from) && a.Name == "ProjectCreatedActivity"
		}},
		{"unknown desc", sdelements.ListActivitiesParams{ProjectDesc: "Nope"}, func(sdelementstest.Activity) bool { return false }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var want []int64
			for _, a := range all {
				if tc.keep(a) {
					want = append(want, a.ID)
				}
			}
			tc.params.PageSize = 3
			got := ids(t, c.ListActivities(ctx, &tc.params))
			assert.Equal(t, want, got)
			if tc.name != "unknown desc" && tc.name != "id" {
				assert.Greater(t, len(want), 3, "the case should span pages")
			}
		})
	}
}

func TestWalkSurvivesFaults(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(500)},
		sdelements.WithRetryPolicy(sdelements.RetryPolicy{MaxRetries: 8, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	srv.FailRandomly(0.3, 42, sdelementstest.AllFaults(10*time.Millisecond, 5*time.Millisecond)...)
	got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 20}))
	assert.Equal(t, descending(500, 1), got)
	faults := 0
	for _, r := range srv.Requests() {
		if r.Fault != nil {
			faults++
		}
	}
	assert.Greater(t, faults, 3)
}

func TestReadAheadSameSequence(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(333)}, sdelements.WithReadAhead(3))
	got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 10}))
	assert.Equal(t, descending(333, 1), got)
}

func TestFailedPageYieldsOnceAndStops(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(30)}, sdelements.WithRetryPolicy(sdelements.NoRetries))
	srv.FailNext(sdelementstest.Fault{Kind: sdelementstest.Status, Status: 200, Path: "/nothing"}) // never matches
	srv.ClearFaults()
	var got []int64
	var errs []error
	i := 0
	for a, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 10}).All() {
		i++
		if i == 10 {
			srv.FailNext(sdelementstest.Fault500)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, a.ID)
	}
	assert.Equal(t, descending(30, 21), got)
	require.Len(t, errs, 1)
	var apiErr *sdelements.APIError
	require.True(t, errors.As(errs[0], &apiErr))
	assert.Equal(t, 500, apiErr.StatusCode)
	assert.Len(t, srv.Requests(), 2)
}
