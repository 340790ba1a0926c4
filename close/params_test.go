package close_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	closeapi "github.com/activitysdk/activity-go/close"
)

var (
	may1  = time.Date(2026, time.May, 1, 0, 0, 0, 0, time.UTC)
	may8  = time.Date(2026, time.May, 8, 0, 0, 0, 0, time.UTC)
	calls = "calls.outbound.all.count"
)

func TestValidation(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	ok := func() *closeapi.ActivityReportParams {
		return &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls},
			RelativeRange: closeapi.RangeToday}
	}
	cases := []struct {
		name   string
		params *closeapi.ActivityReportParams
		edit   func(p *closeapi.ActivityReportParams)
		field  string
		want   string
	}{
		{name: "nil params", params: nil, field: "", want: "close: ActivityReportParams: params are required"},
		{name: "no type", edit: func(p *closeapi.ActivityReportParams) { p.Type = "" }, field: "Type", want: "is required"},
		{name: "unknown type", edit: func(p *closeapi.ActivityReportParams) { p.Type = "funnel" }, field: "Type", want: `must be "overview" or "comparison" (got "funnel")`},
		{name: "no metrics", edit: func(p *closeapi.ActivityReportParams) { p.Metrics = nil }, field: "Metrics", want: "at least one metric"},
		{name: "empty metric", edit: func(p *closeapi.ActivityReportParams) { p.Metrics = []string{calls, ""} }, field: "Metrics", want: "item 1 is empty"},
		{name: "metric with space", edit: func(p *closeapi.ActivityReportParams) { p.Metrics = []string{" calls"} }, field: "Metrics", want: "must not contain spaces"},
		{name: "duplicate metric", edit: func(p *closeapi.ActivityReportParams) { p.Metrics = []string{calls, "x", calls} }, field: "Metrics", want: "listed twice (items 0 and 2)"},
		{name: "both ranges", edit: func(p *closeapi.ActivityReportParams) {
			p.DatetimeRange = &closeapi.DatetimeRange{Start: may1, End: may8}
		}, field: "DatetimeRange", want: "both are set"},
		{name: "no range", edit: func(p *closeapi.ActivityReportParams) { p.RelativeRange = "" }, field: "DatetimeRange", want: "neither is set"},
		{name: "unknown relative", edit: func(p *closeapi.ActivityReportParams) { p.RelativeRange = "last-decade" }, field: "RelativeRange", want: `unknown relative range "last-decade"`},
		{name: "no start", edit: func(p *closeapi.ActivityReportParams) {
			p.RelativeRange, p.DatetimeRange = "", &closeapi.DatetimeRange{End: may8}
		}, field: "DatetimeRange.Start", want: "is required"},
		{name: "no end", edit: func(p *closeapi.ActivityReportParams) {
			p.RelativeRange, p.DatetimeRange = "", &closeapi.DatetimeRange{Start: may1}
		}, field: "DatetimeRange.End", want: "is required"},
		{name: "end before start", edit: func(p *closeapi.ActivityReportParams) {
			p.RelativeRange, p.DatetimeRange = "", &closeapi.DatetimeRange{Start: may8, End: may1}
		}, field: "DatetimeRange.End", want: "must be after Start (got Start 2026-05-08T00:00:00Z, End 2026-05-01T00:00:00Z)"},
		{name: "empty range", edit: func(p *closeapi.ActivityReportParams) {
			p.RelativeRange, p.DatetimeRange = "", &closeapi.DatetimeRange{Start: may1, End: may1}
		}, field: "DatetimeRange.End", want: "must be after Start"},
		{name: "saved search not an id", edit: func(p *closeapi.ActivityReportParams) { p.SavedSearchID = "lead_abc" }, field: "SavedSearchID", want: `"save_" followed by letters`},
		{name: "saved search prefix only", edit: func(p *closeapi.ActivityReportParams) { p.SavedSearchID = "save_" }, field: "SavedSearchID", want: "must be a saved search id"},
		{name: "saved search query text", edit: func(p *closeapi.ActivityReportParams) { p.SavedSearchID = "save_abc status:won" }, field: "SavedSearchID", want: "must be a saved search id"},
		{name: "empty user", edit: func(p *closeapi.ActivityReportParams) { p.Users = []string{"user_a", ""} }, field: "Users", want: "item 1 is empty"},
		{name: "user with newline", edit: func(p *closeapi.ActivityReportParams) { p.Users = []string{"user_a\n"} }, field: "Users", want: "control characters"},
	}
	for _, tc := range cases {
		p := tc.params
		if tc.edit != nil {
			p = ok()
			tc.edit(p)
		}
		_, err := c.GetActivityReport(context.Background(), p)
		var ve *closeapi.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: err = %v, want *ValidationError", tc.name, err)
			continue
		}
		if ve.Field != tc.field || ve.Params != "ActivityReportParams" || ve.Provider != "close" {
			t.Errorf("%s: field = %q params %q provider %q, want field %q", tc.name, ve.Field, ve.Params, ve.Provider, tc.field)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not contain %q", tc.name, err, tc.want)
		}
		if tc.field != "" && !strings.HasPrefix(err.Error(), "close: ActivityReportParams."+tc.field+": ") {
			t.Errorf("%s: error %q does not name the field", tc.name, err)
		}
		// The CSV call validates the same way.
		if _, err := c.GetActivityReportCSV(context.Background(), p); !errors.As(err, &ve) {
			t.Errorf("%s: CSV err = %v, want *ValidationError", tc.name, err)
		}
	}
	if n := srv.RequestCount(); n != 0 {
		t.Fatalf("fake received %d requests, want 0", n)
	}
}

func TestRequestBodies(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	users := srv.Users()
	est := time.FixedZone("EST", -5*3600)
	cases := []struct {
		name   string
		params closeapi.ActivityReportParams
		want   string
	}{
		{"overview relative", closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls},
			RelativeRange: closeapi.RangeLastWeek},
			`{"type":"overview","metrics":["calls.outbound.all.count"],"relative_range":"last-week"}`},
		{"comparison datetime users", closeapi.ActivityReportParams{Type: closeapi.ReportComparison,
			Metrics:       []string{calls, "emails.sent.all.count"},
			DatetimeRange: &closeapi.DatetimeRange{Start: may1, End: may8}, Users: []string{users[1].ID, users[0].ID}},
			`{"type":"comparison","metrics":["calls.outbound.all.count","emails.sent.all.count"],` +
				`"datetime_range":{"start":"2026-05-01T00:00:00Z","end":"2026-05-08T00:00:00Z"},` +
				`"users":["` + users[1].ID + `","` + users[0].ID + `"]}`},
		{"saved search, offset and fraction kept", closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls},
			DatetimeRange: &closeapi.DatetimeRange{Start: time.Date(2026, 5, 1, 9, 30, 0, 500_000_000, est), End: time.Date(2026, 5, 2, 0, 0, 0, 0, est)},
			SavedSearchID: "save_closetestHotLeads"},
			`{"type":"overview","metrics":["calls.outbound.all.count"],` +
				`"datetime_range":{"start":"2026-05-01T09:30:00.5-05:00","end":"2026-05-02T00:00:00-05:00"},` +
				`"query":{"type":"saved_search","saved_search_id":"save_closetestHotLeads"}}`},
		{"all-time with saved search", closeapi.ActivityReportParams{Type: closeapi.ReportComparison, Metrics: []string{calls},
			RelativeRange: closeapi.RangeAllTime, SavedSearchID: "save_closetestHotLeads"},
			`{"type":"comparison","metrics":["calls.outbound.all.count"],"relative_range":"all-time",` +
				`"query":{"type":"saved_search","saved_search_id":"save_closetestHotLeads"}}`},
	}
	for _, tc := range cases {
		srv.ResetRequests()
		if _, err := c.GetActivityReport(context.Background(), &tc.params); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		rc, err := c.GetActivityReportCSV(context.Background(), &tc.params)
		if err != nil {
			t.Fatalf("%s: CSV: %v", tc.name, err)
		}
		rc.Close()
		reqs := srv.Requests()
		if len(reqs) != 2 {
			t.Fatalf("%s: %d requests, want 2", tc.name, len(reqs))
		}
		for i, r := range reqs {
			if r.Method != "POST" || r.RawPath != "/api/v1/report/activity/" || r.RawQuery != "" {
				t.Errorf("%s: request %d = %s %s?%s", tc.name, i, r.Method, r.RawPath, r.RawQuery)
			}
			if !jsonEqual(t, r.Body, tc.want) {
				t.Errorf("%s: body\n got %s\nwant %s", tc.name, r.Body, tc.want)
			}
			if got := r.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("%s: Content-Type %q", tc.name, got)
			}
		}
		if a := reqs[0].Header.Get("Accept"); a != "application/json" {
			t.Errorf("%s: JSON Accept %q", tc.name, a)
		}
		if a := reqs[1].Header.Get("Accept"); a != "text/csv" {
			t.Errorf("%s: CSV Accept %q", tc.name, a)
		}
	}
}

func jsonEqual(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
