package close_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/contract"
)

// TestTZOffsetOption: WithTZOffset sends X-TZ-Offset with the fewest decimals
// on every request (report, CSV report, metrics); without it no header is
// sent at all.
func TestTZOffsetOption(t *testing.T) {
	t.Parallel()
	cases := []struct {
		hours float64
		wire  string
	}{
		{-5, "-5"}, {5.5, "5.5"}, {5.75, "5.75"}, {0, "0"}, {math.Copysign(0, -1), "0"},
		{14, "14"}, {-14, "-14"}, {-3.5, "-3.5"}, {12.75, "12.75"},
	}
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeToday}
	for _, tc := range cases {
		srv := newFake(t)
		c := newClient(t, srv, closeapi.WithTZOffset(tc.hours))
		if _, err := c.GetActivityReport(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		rc, err := c.GetActivityReportCSV(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, rc)
		rc.Close()
		if _, err := c.ListActivityMetrics(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != 3 {
			t.Fatalf("%d requests, want 3", len(reqs))
		}
		for _, r := range reqs {
			if got := r.Header.Values("X-Tz-Offset"); len(got) != 1 || got[0] != tc.wire {
				t.Errorf("WithTZOffset(%v): %s %s sent X-TZ-Offset %q, want [%q]", tc.hours, r.Method, r.RawPath, got, tc.wire)
			}
		}
	}

	srv := newFake(t)
	c := newClient(t, srv)
	if _, err := c.GetActivityReport(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListActivityMetrics(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if _, sent := r.Header["X-Tz-Offset"]; sent {
			t.Errorf("%s %s sent X-TZ-Offset %q without WithTZOffset", r.Method, r.RawPath, r.Header.Get("X-Tz-Offset"))
		}
	}
}

func TestTZOffsetOptionInvalid(t *testing.T) {
	t.Parallel()
	for _, h := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 14.01, -14.5, 24, -100} {
		_, err := closeapi.NewClient(closeapi.WithAPIKey("k"), closeapi.WithTZOffset(h))
		if err == nil || !strings.Contains(err.Error(), "WithTZOffset") {
			t.Errorf("WithTZOffset(%v): err = %v, want a NewClient error naming the option", h, err)
		}
	}
}

// TestTZOffsetPerReport: ActivityReportParams.TZOffset overrides the client's
// value for one report; the metrics call keeps the client's; a bad override is
// a ValidationError before any request.
func TestTZOffsetPerReport(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv, closeapi.WithTZOffset(-5))
	over := 5.5
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeToday, TZOffset: &over}
	if _, err := c.GetActivityReport(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	rc, err := c.GetActivityReportCSV(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if _, err := c.ListActivityMetrics(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	want := []string{"5.5", "5.5", "-5"}
	for i, r := range reqs {
		if got := r.Header.Values("X-Tz-Offset"); len(got) != 1 || got[0] != want[i] {
			t.Errorf("request %d (%s %s): X-TZ-Offset %q, want [%q]", i, r.Method, r.RawPath, got, want[i])
		}
	}
	if got := reqs[1].Header.Get("Accept"); got != "text/csv" {
		t.Errorf("CSV request Accept %q", got)
	}

	// An override on a client without WithTZOffset.
	srv2 := newFake(t)
	c2 := newClient(t, srv2)
	zero := 0.0
	p2 := *p
	p2.TZOffset = &zero
	if _, err := c2.GetActivityReport(context.Background(), &p2); err != nil {
		t.Fatal(err)
	}
	if r, _ := srv2.LastRequest(); r.Header.Get("X-Tz-Offset") != "0" {
		t.Errorf("X-TZ-Offset %q, want 0", r.Header.Get("X-Tz-Offset"))
	}

	n := srv.RequestCount()
	for _, bad := range []float64{math.NaN(), 15, -14.25} {
		p3 := *p
		p3.TZOffset = &bad
		_, err := c.GetActivityReport(context.Background(), &p3)
		var ve *closeapi.ValidationError
		if !errors.As(err, &ve) || ve.Field != "TZOffset" {
			t.Errorf("TZOffset %v: err = %v, want a ValidationError on TZOffset", bad, err)
		}
	}
	if srv.RequestCount() != n {
		t.Error("a bad TZOffset was sent")
	}
}

// TestTZOffsetShiftsRanges: the fake resolves "today" and labels day buckets
// in the zone X-TZ-Offset names, so an anchor late on May 15th UTC is already
// May 16th at UTC+5.5 and still May 15th at UTC-5.
func TestTZOffsetShiftsRanges(t *testing.T) {
	t.Parallel()
	anchor := time.Date(2026, 5, 15, 21, 0, 0, 0, time.UTC)
	srv := newFake(t, closetest.WithAnchor(anchor))
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeToday}
	for _, tc := range []struct {
		hours float64
		want  string
	}{
		{5.5, "2026-05-16T00:00:00+05:30"},
		{-5, "2026-05-15T00:00:00-05:00"},
		{0, "2026-05-15T00:00:00Z"},
	} {
		c := newClient(t, srv, closeapi.WithTZOffset(tc.hours))
		rep, err := c.GetActivityReport(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 1 || rep.Rows[0].Datetime.Format(time.RFC3339) != tc.want {
			t.Errorf("offset %v: rows %+v, want one bucket at %s", tc.hours, rep.Rows, tc.want)
		}
	}
}

// TestFakeRefusesBadTZOffset: the fake answers a malformed X-TZ-Offset with
// Close's error shape, so an SDK that formats it wrongly fails a test.
func TestFakeRefusesBadTZOffset(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	for _, v := range []string{"abc", "15", "-14.5", "NaN", ""} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+closetest.BasePath+"/report/activity/",
			strings.NewReader(`{"type":"overview","metrics":["calls.outbound.all.count"],"relative_range":"today"}`))
		req.SetBasicAuth(closetest.APIKey, "")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-TZ-Offset", v)
		if v != "" { // off-contract on purpose (the validator takes an empty header as absent)
			req.Header.Set(contract.ExpectViolation, "X-TZ-Offset")
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"error":"Invalid X-TZ-Offset header`) {
			t.Errorf("X-TZ-Offset %q: %d %s", v, resp.StatusCode, b)
		}
	}
}

// TestRateLimitPerGroup: the report's window and the metrics catalogue's are
// tracked apart, on the client and in the fake.
func TestRateLimitPerGroup(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithRateLimit(10, time.Minute))
	c := newClient(t, srv)
	if _, ok := c.LastRateLimit(closeapi.GroupActivityReport); ok {
		t.Fatal("a rate limit before any call")
	}
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeToday}
	for i := 0; i < 3; i++ {
		if _, err := c.GetActivityReport(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := c.LastRateLimit(closeapi.GroupActivityMetrics); ok {
		t.Error("metrics group has a value before any metrics call")
	}
	if _, err := c.ListActivityMetrics(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep, ok := c.LastRateLimit(closeapi.GroupActivityReport)
	if !ok || rep.Limit != 10 || rep.Remaining != 7 || rep.Group != closeapi.GroupActivityReport {
		t.Errorf("report group = %+v %v, want 7 of 10 left", rep, ok)
	}
	met, ok := c.LastRateLimit(closeapi.GroupActivityMetrics)
	if !ok || met.Limit != 10 || met.Remaining != 9 || met.Group != closeapi.GroupActivityMetrics {
		t.Errorf("metrics group = %+v %v, want 9 of 10 left (its own window)", met, ok)
	}
	if _, ok := c.LastRateLimit("GET /lead/"); ok {
		t.Error("a group this package does not call has a value")
	}
	if got := closeapi.EndpointGroups(); len(got) != 2 || got[0] != closeapi.GroupActivityReport || got[1] != closeapi.GroupActivityMetrics {
		t.Errorf("EndpointGroups = %v", got)
	}
}

// TestLegacyRateLimitHeaders: the older X-Rate-Limit-* headers are read when
// RateLimit is absent, for LastRateLimit and for the 429 wait.
func TestLegacyRateLimitHeaders(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithRateLimit(2, 200*time.Millisecond), closetest.WithLegacyRateLimitHeaders(),
		closetest.WithRateLimitHints(closetest.HintRateLimitHeader))
	waits, limited, c := burst(t, srv, 3, 1)
	if len(limited) != 1 || len(waits) != 1 {
		t.Fatalf("%d 429s and %d waits, want 1 and 1", len(limited), len(waits))
	}
	a := limited[0]
	if a.Header.Get("RateLimit") != "" || a.Header.Get("X-Rate-Limit-Limit") != "2" || a.Header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Fatalf("429 headers %v", a.Header)
	}
	reset, err := time.ParseDuration(a.Header.Get("X-Rate-Limit-Reset") + "s")
	if err != nil || waits[0] != reset {
		t.Errorf("waited %s, X-Rate-Limit-Reset %q", waits[0], a.Header.Get("X-Rate-Limit-Reset"))
	}
	rl, ok := c.LastRateLimit(closeapi.GroupActivityReport)
	if !ok || rl.Limit != 2 || rl.Remaining < 0 || rl.Remaining > 1 || rl.Reset < 0 || rl.Reset > 200*time.Millisecond {
		t.Errorf("LastRateLimit = %+v %v", rl, ok)
	}
}
