package sdelements_test

import (
	"errors"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/sdelements"
)

func TestFilterWireNamesAndValues(t *testing.T) {
	t.Parallel()
	est := time.FixedZone("EST", -5*3600)
	cases := []struct {
		name   string
		params sdelements.ListActivitiesParams
		want   url.Values // besides page_size=100
	}{
		{"actor", sdelements.ListActivitiesParams{Actor: 7}, url.Values{"actor": {"7"}}},
		{"user", sdelements.ListActivitiesParams{User: 1}, url.Values{"user": {"1"}}},
		{"application", sdelements.ListActivitiesParams{Application: 12}, url.Values{"application": {"12"}}},
		{"business_unit", sdelements.ListActivitiesParams{BusinessUnit: 5}, url.Values{"business_unit": {"5"}}},
		{"project", sdelements.ListActivitiesParams{Project: 9000000000}, url.Values{"project": {"9000000000"}}},
		{"id", sdelements.ListActivitiesParams{ID: 3}, url.Values{"id": {"3"}}},
		{"application_desc", sdelements.ListActivitiesParams{ApplicationDesc: "Web & API/v2"}, url.Values{"application_desc": {"Web & API/v2"}}},
		{"business_unit_desc", sdelements.ListActivitiesParams{BusinessUnitDesc: "Example BU 500"}, url.Values{"business_unit_desc": {"Example BU 500"}}},
		{"project_desc", sdelements.ListActivitiesParams{ProjectDesc: "Projet été"}, url.Values{"project_desc": {"Projet été"}}},
		{"name", sdelements.ListActivitiesParams{Name: sdelements.ActivityLoggedIn}, url.Values{"name": {"LoggedInActivity"}}},
		{"standard builtin", sdelements.ListActivitiesParams{Standard: "T21"}, url.Values{"standard": {"T21"}}},
		{"standard custom", sdelements.ListActivitiesParams{Standard: "CT3"}, url.Values{"standard": {"CT3"}}},
		{"standard_desc", sdelements.ListActivitiesParams{StandardDesc: "T21: Ensure confidential data is sent over an encrypted channel"},
			url.Values{"standard_desc": {"T21: Ensure confidential data is sent over an encrypted channel"}}},
		{"date_from utc", sdelements.ListActivitiesParams{DateFrom: time.Date(2016, 3, 30, 15, 14, 46, 634929000, time.UTC)},
			url.Values{"date_from": {"2016-03-30T15:14:46.634929Z"}}},
		{"date_from other zone", sdelements.ListActivitiesParams{DateFrom: time.Date(2016, 3, 30, 10, 0, 0, 0, est)},
			url.Values{"date_from": {"2016-03-30T15:00:00Z"}}},
		{"date_from rounds up", sdelements.ListActivitiesParams{DateFrom: time.Date(2016, 3, 30, 15, 0, 0, 1500, time.UTC)},
			url.Values{"date_from": {"2016-03-30T15:00:00.000002Z"}}},
		{"date_to rounds down", sdelements.ListActivitiesParams{DateTo: time.Date(2016, 3, 30, 15, 0, 0, 1999, time.UTC)},
			url.Values{"date_to": {"2016-03-30T15:00:00.000001Z"}}},
		{"date_to other zone", sdelements.ListActivitiesParams{DateTo: time.Date(2016, 12, 31, 23, 30, 0, 0, est)},
			url.Values{"date_to": {"2017-01-01T04:30:00Z"}}},
		{"equal dates", sdelements.ListActivitiesParams{DateFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
			url.Values{"date_from": {"2020-01-01T00:00:00Z"}, "date_to": {"2020-01-01T00:00:00Z"}}},
	}
	srv, c := newFake(t, nil)
	for _, tc := range cases {
		srv.ResetRequests()
		_, err := c.ListActivities(ctx, &tc.params).Collect()
		require.NoError(t, err, tc.name)
		reqs := srv.Requests()
		require.NotEmpty(t, reqs, tc.name)
		want := url.Values{"page_size": {"100"}}
		for k, v := range tc.want {
			want[k] = v
		}
		assert.Equal(t, want, reqs[0].Query, tc.name)
		assert.Equal(t, "/api/v2/activities/", reqs[0].RawPath, tc.name)
	}
}

func TestAllFiltersTogether(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, nil)
	p := &sdelements.ListActivitiesParams{
		Actor: 1, User: 2, Application: 3, BusinessUnit: 4, Project: 5, ID: 6,
		ApplicationDesc: "a", BusinessUnitDesc: "b", ProjectDesc: "p", Name: "n", Standard: "T1", StandardDesc: "s",
		DateFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC),
		PageSize: 1000,
	}
	got, err := c.ListActivities(ctx, p).Collect()
	require.NoError(t, err)
	assert.Empty(t, got)
	r, _ := srv.LastRequest()
	assert.Equal(t, "actor=1&application=3&application_desc=a&business_unit=4&business_unit_desc=b"+
		"&date_from=2020-01-01T00%3A00%3A00Z&date_to=2020-02-01T00%3A00%3A00Z&id=6&name=n&page_size=1000"+
		"&project=5&project_desc=p&standard=T1&standard_desc=s&user=2", r.RawQuery)
}

func TestPageSizeSent(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, nil)
	for _, tc := range []struct{ in, want int }{{0, 100}, {1, 1}, {250, 250}, {1000, 1000}} {
		srv.ResetRequests()
		_, err := c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: tc.in, ID: 1}).Collect()
		require.NoError(t, err)
		r, _ := srv.LastRequest()
		assert.Equal(t, []string{itoa(tc.want)}, r.Query["page_size"])
	}
	// nil params: defaults.
	srv.ResetRequests()
	got := ids(t, c.ListActivities(ctx, nil))
	assert.Equal(t, descending(250, 1), got)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "page_size=100", reqs[0].RawQuery)
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestValidation(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		field  string
		params sdelements.ListActivitiesParams
		text   string
	}{
		{"Actor", sdelements.ListActivitiesParams{Actor: -1}, "got -1"},
		{"User", sdelements.ListActivitiesParams{User: -2}, "positive id"},
		{"Application", sdelements.ListActivitiesParams{Application: -3}, "positive id"},
		{"BusinessUnit", sdelements.ListActivitiesParams{BusinessUnit: -4}, "positive id"},
		{"Project", sdelements.ListActivitiesParams{Project: -5}, "positive id"},
		{"ID", sdelements.ListActivitiesParams{ID: -6}, "positive id"},
		{"Standard", sdelements.ListActivitiesParams{Standard: "21"}, `"T21"`},
		{"Standard", sdelements.ListActivitiesParams{Standard: "T"}, `"CT3"`},
		{"Standard", sdelements.ListActivitiesParams{Standard: "CT"}, "number"},
		{"Standard", sdelements.ListActivitiesParams{Standard: "XT1"}, "number"},
		{"Standard", sdelements.ListActivitiesParams{Standard: "T2a"}, "number"},
		{"Standard", sdelements.ListActivitiesParams{Standard: "CCT2"}, "number"},
		{"Name", sdelements.ListActivitiesParams{Name: "a\x00b"}, "NUL"},
		{"ProjectDesc", sdelements.ListActivitiesParams{ProjectDesc: "\x00"}, "NUL"},
		{"DateFrom", sdelements.ListActivitiesParams{DateFrom: t0.Add(time.Second), DateTo: t0}, "must not be after DateTo"},
		{"DateFrom", sdelements.ListActivitiesParams{DateFrom: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "year"},
		{"DateTo", sdelements.ListActivitiesParams{DateTo: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)}, "year"},
		// Issue 13: no SDK cap any more; only a negative size is refused.
		{"PageSize", sdelements.ListActivitiesParams{PageSize: -1}, "must be positive, or 0 for 100 (got -1)"},
		{"Include", sdelements.ListActivitiesParams{Include: []string{"a,b"}}, `item 0 ("a,b") must be a field name`},
		{"Include", sdelements.ListActivitiesParams{Include: []string{""}}, "field name"},
		{"Include", sdelements.ListActivitiesParams{Include: []string{"x", "x"}}, `"x" is listed twice`},
		{"Expand", sdelements.ListActivitiesParams{Expand: []string{"actor", "a b"}}, `item 1 ("a b")`},
		{"Expand", sdelements.ListActivitiesParams{Expand: []string{"actor."}}, "field name"},
		{"Exclude", sdelements.ListActivitiesParams{Exclude: []string{"1data"}}, "field name"},
		{"Exclude", sdelements.ListActivitiesParams{Include: []string{"members"}, Exclude: []string{"members"}}, `"members" is also in Include`},
		{"Exclude", sdelements.ListActivitiesParams{Expand: []string{"actor"}, Exclude: []string{"actor"}}, `"actor" is also in Expand`},
		{"PageToken", sdelements.ListActivitiesParams{PageToken: "2"}, "not a URL"},
		{"PageToken", sdelements.ListActivitiesParams{PageToken: "cGFnZT0y"}, "NextPageToken"},
	}
	srv, c := newFake(t, nil)
	for _, tc := range cases {
		var n int
		for _, err := range c.ListActivities(ctx, &tc.params).All() {
			n++
			var ve *sdelements.ValidationError
			require.True(t, errors.As(err, &ve), "%s: %v", tc.field, err)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, "ListActivitiesParams", ve.Params)
			assert.Contains(t, err.Error(), "sdelements: ListActivitiesParams."+tc.field+": ")
			assert.Contains(t, err.Error(), tc.text)
		}
		assert.Equal(t, 1, n, tc.field)
	}
	_, err := c.GetActivity(ctx, 0)
	var ve *sdelements.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "activityID", ve.Field)
	_, err = c.GetActivity(ctx, -5)
	require.True(t, errors.As(err, &ve))
	assert.Contains(t, err.Error(), "got -5")
	assert.Empty(t, srv.Requests(), "validation errors must not send requests")
}
