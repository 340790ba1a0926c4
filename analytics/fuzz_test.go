package analytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/analytics/analyticstest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// fuzzSecret is the fuzzed clients' token; no error may show it.
const fuzzSecret = "anFuzzT0kenPq83Zv"

const fuzzHost = "127.0.0.1:9"

const (
	fuzzClientID = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
	fuzzUserID   = "a1d97031-04e2-4907-a249-093f7436207b"
	specSeries   = `{"metric": "activity-count", "label": "Total Activity", "period": {"start": "2025-01-01", "end": "2025-01-03"}, "data": [{"date": "2025-01-01", "value": 142}, {"date": "2025-01-02", "value": 0}, {"date": "2025-01-03", "value": 87}]}`
)

// newAnswerer is the in-memory transport the decoder targets use: the
// fuzzed answer first, every time, and no host but fuzzHost.
func newAnswerer() *fakeserver.Answerer {
	return &fakeserver.Answerer{Host: fuzzHost}
}

func fuzzClient(t testing.TB, rt http.RoundTripper) *Client {
	c, err := NewClient(WithBaseURL("http://"+fuzzHost+"/v2"), WithHTTPClient(&http.Client{Transport: rt}),
		WithToken(fuzzSecret), WithRetryPolicy(NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzDecodeTimeSeries: any answer decodes or fails cleanly; a decoded series
// has midnight-UTC dates and marshals back to JSON that decodes to the same
// series.
func FuzzDecodeTimeSeries(f *testing.F) {
	f.Add([]byte(specSeries))
	f.Add([]byte(`{"metric": "activity-count", "period": {"start": "2025-01-01T10:00:00+14:00", "end": ""}, "data": [{"date": "2025-03-31T23:59:59-12:00", "value": 1.5e300}]}`))
	f.Add([]byte(`{"period": null, "data": [null, {"date": null}]}`))
	f.Add([]byte(`{"data": [{"date": "2025-02-30", "value": 1}]}`))
	f.Add([]byte(`{"data": [{"date": "0000-01-01", "value": -0}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var s ActivityTimeSeries
		if json.Unmarshal(body, &s) != nil {
			return
		}
		dates := []time.Time{s.Period.Start, s.Period.End}
		for _, d := range s.Data {
			dates = append(dates, d.Date)
		}
		for _, d := range dates {
			if !d.IsZero() && (d.Location() != time.UTC || d.Hour()|d.Minute()|d.Second()|d.Nanosecond() != 0) {
				t.Fatalf("date %v is not midnight UTC", d)
			}
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var back ActivityTimeSeries
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Fatalf("round trip changed the series:\n%+v\n%+v", s, back)
		}
	})
}

func FuzzAPIError(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{400, `{"error": {"code": "invalid_parameter", "message": "start_date must be YYYY-MM-DD", "details": {"parameter": "start_date"}}}`},
		{401, `{"error": {"code": "unauthorized", "message": "bad token ` + fuzzSecret + `"}}`},
		{404, `{"error": {"code": "not_found", "message": "user\nnot found", "details": null}}`},
		{429, `{"error": null}`},
		{502, `<html><title>Bad Gateway</title></html>`},
		{500, ``},
	} {
		f.Add(s.status, []byte(s.body), "req-1")
	}
	f.Add(503, []byte(`{}`), "rid-"+fuzzSecret)
	// The secret with every character escaped: only redaction after decoding
	// keeps it out of the decoded fields.
	x := fakeserver.JSONEscapeAll(fuzzSecret)
	f.Add(400, []byte(`{"error": {"code": `+x+`, "message": `+x+`, "details": {`+x+`: [`+x+`]}}}`), "r")
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	params := &UserActivityParams{StartDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, status int, body []byte, requestID string) {
		status = 400 + int(uint(status)%200)
		rt.Set(status, http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {requestID}}, body, true)
		_, err := c.GetUserActivity(context.Background(), fuzzClientID, fuzzUserID, params)
		var e *APIError
		if !errors.As(err, &e) {
			t.Fatalf("status %d: %T %v, want *APIError", status, err, err)
		}
		if e.StatusCode != status {
			t.Fatalf("StatusCode %d, want %d", e.StatusCode, status)
		}
		fakeserver.CheckErrorShown(t, e, fuzzSecret)
	})
}

// FuzzSeriesAnswer: any 200 answer gives a series or a clean error, never a
// panic.
func FuzzSeriesAnswer(f *testing.F) {
	f.Add([]byte(specSeries))
	f.Add([]byte(`{"data": [{"date": "2025-01-03", "value": 1}, {"date": "2025-01-01", "value": 2}]}`))
	f.Add([]byte(`[]`))
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	params := &UserActivityParams{StartDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, body []byte) {
		rt.Set(200, http.Header{"Content-Type": {"application/json"}}, body, true)
		s, err := c.GetUserActivity(context.Background(), fuzzClientID, fuzzUserID, params)
		if err == nil && s == nil {
			t.Fatal("nil series without an error")
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzUserActivityParams sends fuzzed params to the fake: a
// *ValidationError naming a field comes back before any request, or the
// windows the fake parses are the params' range, whole, in order, each at
// most MaxRangeDays long, with the params' granularity and metric.
func FuzzUserActivityParams(f *testing.F) {
	d := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC).Unix()
	f.Add("", "", d, int16(2), int32(0), int32(0), true, true)
	f.Add("weekly", "activity-count", d, int16(365), int32(-43200), int32(50400), true, true)
	f.Add("monthly", "", d, int16(400), int32(3600), int32(0), true, true)
	f.Add("quarterly", "", d, int16(200), int32(0), int32(0), true, true)
	f.Add("hourly", "sessions", d, int16(-3), int32(0), int32(0), true, true)
	f.Add("daily", "", d, int16(0), int32(0), int32(0), false, true)
	f.Add("daily", "", d, int16(91), int32(0), int32(0), true, false)
	srv := analyticstest.NewServer()
	f.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Host != host {
			return nil, fmt.Errorf("request to foreign host %q refused by the test", req.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := NewClient(WithBaseURL(srv.URL+analyticstest.BasePath), WithHTTPClient(&http.Client{Transport: guard}),
		WithToken(analyticstest.Token), WithRetryPolicy(NoRetries))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, gran, metric string, startSec int64, spanDays int16, startOff, endOff int32, hasStart, hasEnd bool) {
		srv.ResetRequests()
		if startSec < 0 {
			startSec = -(startSec + 1)
		}
		startSec %= 253402300799 - 600*86400
		start := time.Unix(startSec-62135596800+86400, 0).In(time.FixedZone("", int(startOff%(18*3600))))
		end := start.Add(time.Duration(spanDays%500) * 24 * time.Hour).In(time.FixedZone("", int(endOff%(18*3600))))
		p := &UserActivityParams{Granularity: Granularity(gran), Metric: Metric(metric)}
		if hasStart {
			p.StartDate = start
		}
		if hasEnd {
			p.EndDate = end
		}
		_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, p)
		var ve *ValidationError
		if errors.As(err, &ve) {
			if ve.Field == "" {
				t.Fatalf("ValidationError names no field: %v", ve)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Fatalf("%d requests sent despite %v", n, err)
			}
			return
		}
		reqs := srv.Requests()
		if len(reqs) == 0 {
			t.Fatalf("no request (err %v)", err)
		}
		wantGran, wantMetric := gran, metric
		if wantGran == "" {
			wantGran = string(GranularityDaily)
		}
		if wantMetric == "" {
			wantMetric = string(MetricActivityCount)
		}
		next := p.StartDate.Format(dateLayout)
		for i, r := range reqs {
			q := r.Query
			if q.Get("granularity") != wantGran || q.Get("metric") != wantMetric || len(q) != 4 {
				t.Fatalf("request %d: fake parsed %q; sent granularity %q, metric %q", i, r.RawQuery, gran, metric)
			}
			ws, err1 := time.Parse(dateLayout, q.Get("start_date"))
			we, err2 := time.Parse(dateLayout, q.Get("end_date"))
			if err1 != nil || err2 != nil || q.Get("start_date") != next || we.Before(ws) || days(ws, we) > MaxRangeDays {
				t.Fatalf("request %d: window %s..%s, want it to start at %s and span 1..%d days", i,
					q.Get("start_date"), q.Get("end_date"), next, MaxRangeDays)
			}
			next = we.AddDate(0, 0, 1).Format(dateLayout)
			if err != nil && i == len(reqs)-1 {
				return // the fake refused this window; the ones before were right
			}
		}
		if last := reqs[len(reqs)-1].Query.Get("end_date"); last != p.EndDate.Format(dateLayout) {
			t.Fatalf("windows end at %s, want %s", last, p.EndDate.Format(dateLayout))
		}
	})
}

// FuzzUtilizationAnswer: any 200 answer to the three utilization endpoints
// gives a result or a clean error, never a panic; a decoded answer keeps the
// bytes it came from in Raw; a list walk ends (the answer repeats its
// cursor, which the pager's guard stops).
func FuzzUtilizationAnswer(f *testing.F) {
	f.Add([]byte(`{"period":{"start":"2026-01-01","end":"2026-01-31"},"data":[{"app":{"id":"x","name":"Chat"},"unique_users":{"value":3,"change_pct":null}}],"total_count":1,"next_cursor":"c"}`))
	f.Add([]byte(`{"total_apps":4,"discovered":{"count":"2","change_pct":"x"},"by_time":{"leader":{"id":"y","value":1e308}}}`))
	f.Add([]byte(`{"data":[1],"by_interactions":[],"period":7}`))
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		rt.Set(200, http.Header{"Content-Type": {"application/json"}}, body, true)
		pages := 0
		for _, err := range c.ListAppUtilization(context.Background(), fuzzClientID, &AppUtilizationParams{StartDate: from, EndDate: to}).Pages() {
			if pages++; pages > 3 || err != nil {
				break
			}
		}
		if pages > 2 {
			t.Fatalf("%d pages from one repeated answer", pages)
		}
		s, err := c.GetAppUtilizationSummary(context.Background(), fuzzClientID, &AppUtilizationSummaryParams{StartDate: from, EndDate: to})
		if err == nil && (s == nil || !json.Valid(s.Raw)) {
			t.Fatalf("summary %+v without an error", s)
		}
		r, err := c.GetAppUtilizationRankings(context.Background(), fuzzClientID, &AppUtilizationRankingsParams{StartDate: from, EndDate: to})
		if err == nil && (r == nil || !json.Valid(r.Raw)) {
			t.Fatalf("rankings %+v without an error", r)
		}
		var m Measure
		if err := m.UnmarshalJSON(body); err != nil {
			t.Fatalf("Measure never fails: %v", err)
		}
	})
}

// FuzzAppUtilizationParams sends fuzzed list params to the fake: either a
// *ValidationError naming a field before any request, or one request whose
// query is exactly the params (comma lists, booleans, page size, search),
// which the fake accepts or refuses with its 400.
func FuzzAppUtilizationParams(f *testing.F) {
	f.Add("discovered", "chat", fuzzClientID+","+fuzzUserID, "", 25, true, false, "")
	f.Add("", "a\x00", "", "x", 0, false, false, "")
	f.Add("dropped_off", "", "", "", 201, true, true, "b2ZmOjEw")
	f.Add("new", "é ü", fuzzClientID, ","+fuzzUserID, -1, false, true, "\n")
	srv := analyticstest.NewServer(analyticstest.WithApps(3))
	f.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+analyticstest.BasePath), WithToken(analyticstest.Token), WithRetryPolicy(NoRetries))
	if err != nil {
		f.Fatal(err)
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	f.Fuzz(func(t *testing.T, filter, query, cats, depts string, size int, compare, approved bool, token string) {
		srv.ResetRequests()
		p := &AppUtilizationParams{StartDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC),
			Filter: UtilizationFilter(filter), Query: query, CategoryIDs: split(cats), DepartmentIDs: split(depts), PageSize: size,
			IsApproved: &approved, PageToken: token}
		if compare {
			p.CompareStartDate, p.CompareEndDate = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		var err error
		for _, e := range c.ListAppUtilization(context.Background(), fuzzClientID, p).All() {
			err = e
			break
		}
		reqs := srv.Requests()
		var ve *ValidationError
		if errors.As(err, &ve) {
			if ve.Field == "" || len(reqs) != 0 {
				t.Fatalf("%v: field %q, %d requests", err, ve.Field, len(reqs))
			}
			return
		}
		if len(reqs) == 0 {
			t.Fatalf("no request and no validation error: %v", err)
		}
		q := reqs[0].Query
		want := map[string]string{"granularity": "daily", "start_date": "2026-01-01", "end_date": "2026-01-31",
			"filter": filter, "q": query, "category_ids": cats, "department_ids": depts, "is_approved": fmt.Sprint(approved), "cursor": token}
		if size > 0 {
			want["page_size"] = fmt.Sprint(size)
		}
		if compare {
			want["compare_start_date"], want["compare_end_date"] = "2025-12-01", "2025-12-31"
		}
		for k, v := range want {
			if q.Get(k) != v {
				t.Fatalf("%s sent as %q, want %q (query %s)", k, q.Get(k), v, reqs[0].RawQuery)
			}
		}
		if len(q) != len(wantNonEmpty(want)) {
			t.Fatalf("query %s has parameters beyond %v", reqs[0].RawQuery, want)
		}
	})
}

func wantNonEmpty(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
