package close

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// fuzzSecret is the fuzzed clients' API key; no error may show it.
const fuzzSecret = "api_fuzzK3y0c1oseQw"

const fuzzHost = "127.0.0.1:9"

const (
	specOverview   = `{"aggregations": {"totals": {"calls.outbound.all.count": 12, "calls.outbound.all.duration": null}}, "data": [{"datetime": "2026-05-10T00:00:00+00:00", "calls.outbound.all.count": 5, "calls.outbound.all.duration": null}, {"datetime": "2026-05-11T00:00:00+00:00", "calls.outbound.all.count": 7}], "queries": {}}`
	specComparison = `{"data": [{"user_id": "user_abc", "calls.outbound.all.count": 3, "note": "x"}], "lookup": {"user": {"user_abc": {"display": "Jane Doe"}}}}`
)

// newAnswerer is the in-memory transport the decoder targets use: the
// fuzzed answer first, every time, and no host but fuzzHost.
func newAnswerer() *fakeserver.Answerer {
	return &fakeserver.Answerer{Host: fuzzHost}
}

func fuzzClient(t testing.TB, rt http.RoundTripper) *Client {
	c, err := NewClient(WithBaseURL("http://"+fuzzHost+"/api/v1"), WithHTTPClient(&http.Client{Transport: rt}),
		WithAPIKey(fuzzSecret), WithRetryPolicy(NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzParseRateLimit(f *testing.F) {
	for _, s := range []string{"limit=100, remaining=50, reset=5", "reset=1.75", "LIMIT = 10 ; Remaining=\"3\"",
		"limit=-1, reset=NaN", "reset=1e300", "remaining=2.5", "", "garbage", "limit=100,limit=7", "reset=86400.0001"} {
		f.Add(s, uint32(100), uint32(50), uint32(5250))
	}
	f.Fuzz(func(t *testing.T, v string, limit, remaining, resetMs uint32) {
		rl, ok := ParseRateLimit(v)
		if rl.Limit < -1 || rl.Remaining < -1 || rl.Reset < -1 || rl.Reset > 1e9*time.Second {
			t.Fatalf("ParseRateLimit(%q) = %+v", v, rl)
		}
		if ok != (rl.Limit != -1 || rl.Remaining != -1 || rl.Reset != -1) {
			t.Fatalf("ParseRateLimit(%q) = %+v, %v", v, rl, ok)
		}
		if !rl.Observed.IsZero() {
			t.Fatalf("ParseRateLimit set Observed")
		}
		// What Close sends reads back exactly.
		limit %= math.MaxInt32
		remaining %= math.MaxInt32
		resetMs %= 86400000
		hdr := fmt.Sprintf("limit=%d, remaining=%d, reset=%s", limit, remaining, strconv.FormatFloat(float64(resetMs)/1000, 'f', -1, 64))
		rl, ok = ParseRateLimit(hdr)
		want := RateLimit{Limit: int(limit), Remaining: int(remaining), Reset: time.Duration(resetMs) * time.Millisecond}
		if !ok || rl != want {
			t.Fatalf("ParseRateLimit(%q) = %+v, %v; want %+v", hdr, rl, ok, want)
		}
	})
}

// FuzzRetryHint: the wait read from a 429's RateLimit headers or body is
// never negative and never more than 1e9 s (longer waits are real hints,
// returned at once with RetryAfter set; issue 14).
func FuzzRetryHint(f *testing.F) {
	f.Add("limit=100, remaining=0, reset=5", "", "", []byte(`{"error": {"rate_reset": 1.75, "message": "slow"}}`))
	f.Add("", "2", "", []byte(`{"error": {"rate_reset": "3"}}`))
	f.Add("", "", "", []byte(`{"error": {"rate_reset": -4}}`))
	f.Add("reset=x", "", "9e99", []byte(`{"error": "plain"}`))
	f.Add("", "", "", []byte(``))
	f.Fuzz(func(t *testing.T, rateLimit, draftReset, draftLimit string, body []byte) {
		h := http.Header{}
		if rateLimit != "" {
			h.Set("RateLimit", rateLimit)
		}
		if draftReset != "" {
			h.Set("RateLimit-Reset", draftReset)
		}
		if draftLimit != "" {
			h.Set("RateLimit-Limit", draftLimit)
		}
		d, ok := waitHint(http.StatusTooManyRequests, h, body, time.Unix(1700000000, 0))
		if d < 0 || d > 1e9*time.Second || (!ok && d != 0) {
			t.Fatalf("waitHint = %v, %v", d, ok)
		}
		if d, ok := bodyRateReset(body); d < 0 || d > 1e9*time.Second || (!ok && d != 0) {
			t.Fatalf("bodyRateReset(%q) = %v, %v", body, d, ok)
		}
	})
}

func FuzzDecodeReport(f *testing.F) {
	f.Add([]byte(specOverview), false)
	f.Add([]byte(specComparison), true)
	f.Add([]byte(`{"data": [{"datetime": "2026-05-10T00:00:00-07:00", "m": 1e308, "n": -0}], "aggregations": {"totals": null}}`), false)
	f.Add([]byte(`{"data": [{"datetime": 5}]}`), false)
	f.Add([]byte(`{"data": [{"user_id": 7, "m": "12"}], "lookup": {"user": {"u": "Plain Name", "v": null}}}`), true)
	f.Fuzz(func(t *testing.T, body []byte, comparison bool) {
		typ := ReportOverview
		if comparison {
			typ = ReportComparison
		}
		rep, err := decodeReport(body, typ)
		if err != nil {
			return
		}
		if rep.Type != typ || !bytes.Equal(rep.Raw, body) {
			t.Fatalf("Type %q / Raw %q", rep.Type, rep.Raw)
		}
		for _, k := range rep.TotalNulls {
			if _, ok := rep.Totals[k]; ok {
				t.Fatalf("total %q both null and a number", k)
			}
		}
		for i, r := range rep.Rows {
			for _, k := range r.Nulls {
				if _, ok := r.Value(k); ok {
					t.Fatalf("row %d: %q both null and a number", i, k)
				}
			}
			for k, v := range r.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("row %d: %q = %v", i, k, v)
				}
			}
		}
		for _, id := range rep.UserIDs() {
			rep.UserDisplayName(id)
		}
	})
}

func FuzzDecodeMetrics(f *testing.F) {
	f.Add([]byte(`{"data": ["calls.outbound.all.count", {"key": "emails.sent.all.count", "label": "Emails sent", "description": "d"}]}`))
	f.Add([]byte(`[{"id": "a"}, {"metric": "b", "title": "B"}, {"name": "c"}, null, 5, {"label": "no key"}]`))
	f.Add([]byte(`{"metrics": [""]}`))
	f.Add([]byte(`{"data": null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ms, err := decodeMetrics(body)
		if err != nil {
			return
		}
		for i, m := range ms {
			if m.Key == "" {
				t.Fatalf("metric %d has no key: %+v", i, m)
			}
			if len(m.Raw) == 0 || !json.Valid(m.Raw) {
				t.Fatalf("metric %d: Raw %q", i, m.Raw)
			}
		}
	})
}

func FuzzAPIError(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{400, `{"error": "Invalid metric"}`},
		{429, `{"error": {"rate_reset": 1.75, "message": "API call count exceeded", "code": 429}}`},
		{400, `{"errors": ["bad", {"message": "worse"}], "field-errors": {"datetime_range": {"start": "required"}, "metrics": ["a", "b"]}}`},
		{401, `{"error": "Invalid API key ` + fuzzSecret + `"}`},
		{502, `<html><head><title>502 Bad Gateway</title></head></html>`},
		{500, `{"error": {"description": "a\nb", "type": "server_error"}}`},
		{404, `{"error": null, "errors": null, "field-errors": {"a": {"b": {"c": null}}}}`},
	} {
		f.Add(s.status, []byte(s.body), "limit=100, remaining=0, reset=2")
	}
	// The secret with every character escaped: only redaction after decoding
	// keeps it out of the decoded fields.
	x := fakeserver.JSONEscapeAll(fuzzSecret)
	f.Add(400, []byte(`{"error": {"message": `+x+`}, "errors": [`+x+`, {"k": `+x+`}], "field-errors": {"f": `+x+`, "g": {"h": `+x+`}}}`), "r")
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	params := &ActivityReportParams{Type: ReportOverview, Metrics: []string{"m"}, RelativeRange: RangeToday}
	f.Fuzz(func(t *testing.T, status int, body []byte, rateLimit string) {
		status = 400 + int(uint(status)%200)
		rt.Set(status, http.Header{"Content-Type": {"application/json"}, "Ratelimit": {rateLimit}, "X-Request-Id": {"r-" + rateLimit}}, body, true)
		_, err := c.GetActivityReport(context.Background(), params)
		var e *APIError
		if !errors.As(err, &e) {
			t.Fatalf("status %d: %T %v, want *APIError", status, err, err)
		}
		if e.StatusCode != status || e.RetryAfter < 0 || e.RateReset < 0 {
			t.Fatalf("StatusCode %d (want %d), RetryAfter %v, RateReset %v", e.StatusCode, status, e.RetryAfter, e.RateReset)
		}
		fakeserver.CheckErrorShown(t, e, fuzzSecret)
	})
}

// splitList turns a fuzz string into a list ("" is an empty list).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// FuzzActivityReportParams sends fuzzed params to the fake: a
// *ValidationError naming a field comes back before any request, or the body
// the fake parses carries exactly the params sent.
func FuzzActivityReportParams(f *testing.F) {
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC).Unix()
	f.Add("overview", "calls.outbound.all.count,emails.sent.all.count", true, start, int64(0), start+86400*7, int64(0), int32(0), "", closetest.SavedSearchID, "")
	f.Add("comparison", "calls.outbound.all.count", false, int64(0), int64(0), int64(0), int64(0), int32(0), "this-week", "", "user_a,user_b")
	f.Add("overview", "a,a", false, int64(0), int64(0), int64(0), int64(0), int32(0), "today", "", "")
	f.Add("", "m", true, start, int64(5), start, int64(5), int32(19800), "", "save_", "")
	f.Add("overview", "m n", true, start, int64(0), start+1, int64(0), int32(-34200), "today", "save_x y", "u\t1")
	f.Add("overview", "m", true, start, int64(999999999), start+1, int64(1), int32(3600*5+30*60+17), "", "", "")
	f.Add("comparison", "m,", false, int64(0), int64(0), int64(0), int64(0), int32(0), "next-week", "", ",")
	srv := closetest.NewServer(closetest.WithRateLimit(1<<30, time.Second))
	f.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Host != host {
			return nil, fmt.Errorf("request to foreign host %q refused by the test", req.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := NewClient(WithBaseURL(srv.URL+closetest.BasePath), WithHTTPClient(&http.Client{Transport: guard}),
		WithAPIKey(closetest.APIKey), WithRetryPolicy(NoRetries))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, typ, metrics string, absolute bool, startSec, startNsec, endSec, endNsec int64, offsetSec int32,
		relative, savedSearch, users string) {
		srv.ResetRequests()
		p := &ActivityReportParams{Type: ReportType(typ), Metrics: splitList(metrics), RelativeRange: RelativeRange(relative),
			SavedSearchID: savedSearch, Users: splitList(users)}
		if absolute {
			zone := time.FixedZone("", int(offsetSec%(18*3600)))
			p.DatetimeRange = &DatetimeRange{Start: fuzzTime(startSec, startNsec, zone), End: fuzzTime(endSec, endNsec, zone)}
		}
		_, err := c.GetActivityReport(context.Background(), p)
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
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1 (err %v)", len(reqs), err)
		}
		var got struct {
			Type          string   `json:"type"`
			Metrics       []string `json:"metrics"`
			RelativeRange string   `json:"relative_range"`
			DatetimeRange *struct {
				Start, End string
			} `json:"datetime_range"`
			Query *struct {
				Type          string `json:"type"`
				SavedSearchID string `json:"saved_search_id"`
			} `json:"query"`
			Users []string `json:"users"`
		}
		if err := json.Unmarshal(reqs[0].Body, &got); err != nil {
			t.Fatalf("fake got a body that does not parse: %v: %q", err, reqs[0].Body)
		}
		if got.Type != typ || !reflect.DeepEqual(got.Metrics, p.Metrics) || got.RelativeRange != relative ||
			!reflect.DeepEqual(got.Users, p.Users) {
			t.Fatalf("fake parsed %+v from %q; sent %+v", got, reqs[0].Body, p)
		}
		if (got.Query != nil) != (savedSearch != "") || got.Query != nil && (got.Query.Type != "saved_search" || got.Query.SavedSearchID != savedSearch) {
			t.Fatalf("query %+v for saved search %q", got.Query, savedSearch)
		}
		if (got.DatetimeRange != nil) != absolute {
			t.Fatalf("datetime_range %+v, absolute %v", got.DatetimeRange, absolute)
		}
		if absolute {
			for _, e := range []struct {
				text string
				want time.Time
			}{{got.DatetimeRange.Start, p.DatetimeRange.Start}, {got.DatetimeRange.End, p.DatetimeRange.End}} {
				ts, err := time.Parse(time.RFC3339Nano, e.text)
				if err != nil || !ts.Equal(e.want) {
					t.Fatalf("datetime %q reads as %v, %v; sent %v", e.text, ts, err, e.want)
				}
			}
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fuzzTime makes an instant from fuzz input: zero when sec is 0, else one in
// years 1..9999 UTC, in zone.
func fuzzTime(sec, nsec int64, zone *time.Location) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	if sec < 0 {
		sec = -(sec + 1)
	}
	sec %= 253402300799 - 2*86400
	return time.Unix(sec-62135596800+86400, (nsec%1e9+1e9)%1e9).In(zone)
}
