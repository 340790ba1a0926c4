package activtrak

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/internal/paging"
)

// fuzzSecret is the fuzzed clients' API key; no error may show it.
const fuzzSecret = "atFuzzApiK3yW7rPq"

const fuzzHost = "127.0.0.1:9"

// Example answers from the ActivTrak Live Data documentation.
const (
	specUsersPage = `{"activity": [{"date": "datetime", "computerid": 1, "groups": [], "firstActivity": "datetime", "lastActivity": "datetime", "lastActivityLog": "datetime", "users": [], "activeTime": {"productive": 0, "unproductive": 0, "undefined": 0, "total": 0}, "passiveTime": {"productive": 0, "unproductive": 0, "undefined": 0, "total": 0}, "totalTime": 0}], "total": 0}`
	specLogPage   = `{"activity": [{"logId": 0, "productivity": 0, "popupAlarm": null, "emailAlarm": null, "externalNotificationAlarm": null, "terminate": null, "date": "datetime", "computerId": 1, "computer": "", "primaryDomain": "", "privateIp": "", "publicIp": "", "loginDomain": "", "user": "", "session": 0, "duration": 0, "applicationId": 0, "websiteId": null, "executable": "", "description": "", "url": ""}], "cursor": ""}`
)

// newAnswerer is the in-memory transport the decoder targets use: the
// fuzzed answer first, then an empty last page, and no host but fuzzHost.
func newAnswerer() *fakeserver.Answerer {
	return &fakeserver.Answerer{Host: fuzzHost, Then: []byte(`{"activity":[],"total":0,"cursor":""}`)}
}

func fuzzClient(t testing.TB, rt http.RoundTripper) *Client {
	c, err := NewClient(WithBaseURL("http://"+fuzzHost), WithHTTPClient(&http.Client{Transport: rt}),
		WithAPIKey(fuzzSecret), WithRetryPolicy(NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"", "datetime", "2024-06-03T08:44:51.994", "2024-06-03T08:44:51Z",
		"2024-06-03t08:44:51z", "2024-06-03T08:44:51+0200", "2024-06-03T08:44:51+02",
		"2024-06-03 08:44:51+02:00", "2024-06-03 08:44:51", "2024-06-03T08:44", "2024-06-03",
		"2024-06-03T08:44:51.9999999999+14:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"} {
		f.Add(s, int64(1717404291), int64(994000000), int16(120))
	}
	f.Fuzz(func(t *testing.T, s string, sec, nsec int64, offMin int16) {
		// Arbitrary text: never a panic; lenientTime never fails a page.
		parseTimestamp(s)
		var lt lenientTime
		if err := lt.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatalf("lenientTime.UnmarshalJSON(%q) = %v", s, err)
		}
		q, _ := json.Marshal(s)
		if err := lt.UnmarshalJSON(q); err != nil {
			t.Fatalf("lenientTime.UnmarshalJSON(%s) = %v", q, err)
		}
		// A real instant written in the documented shapes reads back as itself.
		sec %= 253402300799 // up to year 9999
		if sec < 0 {
			sec = -sec
		}
		zone := time.FixedZone("", int(offMin%(24*60))*60)
		ts := time.Unix(sec-62135596800+86400, nsec%1e9).In(zone) // years 1..9999
		if ts.Year() < 1 || ts.Year() > 9999 {
			return
		}
		for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05.999Z0700"} {
			text := ts.Format(layout)
			want := ts
			switch layout {
			case time.RFC3339:
				want = ts.Truncate(time.Second)
			case "2006-01-02T15:04:05.999Z0700":
				want = ts.Truncate(time.Millisecond)
			}
			got, ok := parseTimestamp(text)
			if !ok || !got.Equal(want) {
				t.Fatalf("parseTimestamp(%q) = %v, %v; want %v", text, got, ok, want)
			}
		}
		// Without an offset: the wall clock, taken as UTC.
		text := ts.Format("2006-01-02T15:04:05.999999999")
		y, mo, d := ts.Date()
		want := time.Date(y, mo, d, ts.Hour(), ts.Minute(), ts.Second(), ts.Nanosecond(), time.UTC)
		if got, ok := parseTimestamp(text); !ok || !got.Equal(want) {
			t.Fatalf("parseTimestamp(%q) = %v, %v; want %v", text, got, ok, want)
		}
	})
}

func FuzzDecodeModels(f *testing.F) {
	f.Add([]byte(specUsersPage))
	f.Add([]byte(specLogPage))
	f.Add([]byte(`{"activity":[{"date":"2024-06-03T08:44:51.994","firstActivity":null,"lastActivity":17,"lastActivityLog":"2024-06-03 08:44:51"}]}`))
	f.Add([]byte(`{"activity":[{"logId":9,"date":"2024-06-03T08:44:51\u002B02:00","websiteId":5,"popupAlarm":true}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var wh struct {
			Activity []WorkingHours `json:"activity"`
		}
		var log struct {
			Activity []ActivityLogEntry `json:"activity"`
		}
		_ = json.Unmarshal(body, &wh)
		_ = json.Unmarshal(body, &log)
		// The one-pass page decoders agree with the model decoders.
		var whWire struct {
			Activity []workingHoursWire `json:"activity"`
		}
		if json.Unmarshal(body, &whWire) == nil {
			var models struct {
				Activity []WorkingHours `json:"activity"`
			}
			if err := json.Unmarshal(body, &models); err != nil {
				t.Fatalf("wire decodes but the model does not: %v", err)
			}
			for i := range whWire.Activity {
				a, b := whWire.Activity[i].model(), models.Activity[i]
				if !a.Date.Equal(b.Date) || !a.FirstActivity.Equal(b.FirstActivity) || a.UserID != b.UserID || a.TotalTime != b.TotalTime {
					t.Fatalf("row %d: one-pass %+v, model %+v", i, a, b)
				}
			}
		}
	})
}

// FuzzPages feeds an arbitrary first answer to both walks: no panic, the
// page-number token only ever moves forward, and no request leaves the host.
func FuzzPages(f *testing.F) {
	f.Add([]byte(specUsersPage), 2)
	f.Add([]byte(specLogPage), 1)
	f.Add([]byte(`{"activity":[{},{}],"total":5}`), 2)
	f.Add([]byte(`{"activity":[{}],"total":-3,"cursor":"http://evil.test/x"}`), 1)
	f.Add([]byte(`{"activity":[{"logId":1}],"cursor":"//evil.test/reports"}`), 1)
	f.Add([]byte(`{"activity":null,"total":null}`), 0)
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	f.Fuzz(func(t *testing.T, body []byte, pageSize int) {
		pageSize = 1 + int(uint(pageSize)%5)
		rt.Set(200, http.Header{"Content-Type": {"application/json"}}, body, false)
		from := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
		last := 0
		n := 0
		for p, err := range c.ListUserWorkingHours(context.Background(), &WorkingHoursParams{From: from, To: from, PageSize: pageSize}).Pages() {
			if err != nil {
				break
			}
			if p.NextPageToken == "" {
				break
			}
			next, err := strconv.Atoi(p.NextPageToken)
			if err != nil || next <= last || next < 2 {
				t.Fatalf("page token %q after page %d", p.NextPageToken, last)
			}
			last = next
			if n++; n == 3 {
				break
			}
		}
		hosts := rt.Hosts()
		rt.Set(200, http.Header{"Content-Type": {"application/json"}}, body, false)
		n = 0
		for _, err := range c.ListActivityLog(context.Background(), &ActivityLogParams{PageSize: pageSize}).Pages() {
			if err != nil {
				break
			}
			if n++; n == 3 {
				break
			}
		}
		for _, h := range append(hosts, rt.Hosts()...) {
			if h != fuzzHost {
				t.Fatalf("a request went to %q", h)
			}
		}
	})
}

func FuzzAPIError(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{400, `{"messages": ["Only one of userId, groupId, computerId can be sent"], "success": false}`},
		{400, `{"messages": [{"message": "bad"}, 7, null], "success": false}`},
		{401, `{"message": "invalid key ` + fuzzSecret + `"}`},
		{500, `{"error": {"message": "boom"}, "code": 12}`},
		{400, `{"title": "One or more validation errors occurred.", "errors": {"pageSize": ["too big\nreally"]}}`},
		{502, `<html><title>Bad Gateway</title></html>`},
		{503, ``},
	} {
		f.Add(s.status, []byte(s.body), "req-1")
	}
	f.Add(429, []byte(`{}`), "rid-"+fuzzSecret)
	// The secret with every character escaped: only redaction after decoding
	// keeps it out of the decoded fields.
	x := fakeserver.JSONEscapeAll(fuzzSecret)
	f.Add(400, []byte(`{"messages": [`+x+`, {"message": `+x+`}, {"k": `+x+`}], "code": `+x+`}`), "r")
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	f.Fuzz(func(t *testing.T, status int, body []byte, requestID string) {
		status = 400 + int(uint(status)%200)
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {requestID}}
		rt.Set(status, h, body, true)
		var err error
		for _, e := range c.ListActivityLog(context.Background(), nil).All() {
			err = e
			break
		}
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

// fuzzFake is one fake per fuzz target, started outside the fuzz callback,
// with a client that refuses any other host.
func fuzzFake(f *testing.F) (*activtraktest.Server, *Client) {
	srv := activtraktest.NewServer()
	f.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Host != host {
			return nil, fmt.Errorf("request to foreign host %q refused by the test", req.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := NewClient(WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: guard}),
		WithAPIKey(activtraktest.APIKey), WithRetryPolicy(NoRetries))
	if err != nil {
		f.Fatal(err)
	}
	return srv, c
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fuzzDate makes a date parameter from fuzz input: zero when sec is 0,
// else an instant in years 1..9999 in a fixed zone.
func fuzzDate(sec int64, offMin int16) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	if sec < 0 {
		sec = -(sec + 1)
	}
	sec %= 253402300799 - 2*86400
	return time.Unix(sec-62135596800+86400, 0).In(time.FixedZone("", int(offMin%(18*60))*60))
}

// checkParams compares the query the fake parsed with the params sent, or
// checks the ValidationError.
func checkParams(t *testing.T, srv *activtraktest.Server, err error, path string, want map[string]string) {
	t.Helper()
	var ve *ValidationError
	if errors.As(err, &ve) {
		if ve.Field == "" && ve.Params == "" {
			t.Fatalf("ValidationError names nothing: %v", ve)
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
	r := reqs[0]
	if r.Path != path {
		t.Fatalf("fake got path %q, want %q", r.Path, path)
	}
	for k, v := range want {
		got := r.Query.Get(k)
		if k == "page" {
			if n, err := strconv.Atoi(got); err == nil {
				got = strconv.Itoa(n)
			}
		}
		if got != v || (v == "" && r.Query.Has(k)) {
			t.Fatalf("fake parsed %s=%q (present %v), want %q; raw query %q", k, got, r.Query.Has(k), v, r.RawQuery)
		}
	}
	for k := range r.Query {
		if _, ok := want[k]; !ok {
			t.Fatalf("fake got unexpected parameter %q in %q", k, r.RawQuery)
		}
	}
}

func idParam(v int64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func FuzzWorkingHoursParams(f *testing.F) {
	d := time.Date(2024, 6, 3, 23, 30, 0, 0, time.UTC).Unix()
	f.Add(d, d+86400, int16(0), int16(-60), int64(0), int64(0), int64(0), 0, "", false)
	f.Add(d, d, int16(90), int16(0), int64(-1), int64(0), int64(0), 1000, "2", true)
	f.Add(d, d-86400, int16(0), int16(0), int64(3), int64(4), int64(0), 10, "", false)
	f.Add(int64(0), d, int16(0), int16(0), int64(0), int64(0), int64(-7), 1001, "x", true)
	f.Add(d, d, int16(0), int16(0), int64(0), int64(0), int64(9), -1, "0", false)
	srv, c := fuzzFake(f)
	f.Fuzz(func(t *testing.T, from, to int64, fromOff, toOff int16, user, group, computer int64, pageSize int, token string, computers bool) {
		srv.ResetRequests()
		p := &WorkingHoursParams{From: fuzzDate(from, fromOff), To: fuzzDate(to, toOff), UserID: user, GroupID: group,
			ComputerID: computer, PageSize: pageSize, PageToken: token}
		list, path := c.ListUserWorkingHours, "/reports/v2/workinghours/users"
		if computers {
			list, path = c.ListComputerWorkingHours, "/reports/v2/workinghours/computers"
		}
		var err error
		for _, e := range list(context.Background(), p).Pages() {
			err = e
			break
		}
		size := pageSize
		if size == 0 {
			size = MaxPageSize
		}
		// The token is a page number: the fake must read the same number.
		page := "1"
		if n, perr := paging.PageNumber(token); perr == nil {
			page = strconv.Itoa(n)
		}
		checkParams(t, srv, err, path, map[string]string{
			"from": p.From.Format(dateLayout), "to": p.To.Format(dateLayout),
			"clientId": idParam(user), "groupId": idParam(group), "deviceId": idParam(computer),
			"pageSize": strconv.Itoa(size), "page": page,
		})
	})
}

func FuzzActivityLogParams(f *testing.F) {
	d := time.Date(2024, 6, 3, 1, 0, 0, 0, time.UTC).Unix()
	f.Add(d, d+86400, int16(0), int16(0), int64(0), int64(0), int64(0), 0, "")
	f.Add(int64(0), int64(0), int16(0), int16(0), int64(-1), int64(0), int64(0), 150, "cursor+/=&x")
	f.Add(d, d-86400, int16(600), int16(-600), int64(0), int64(2), int64(0), 1000, "")
	f.Add(d, int64(0), int16(0), int16(0), int64(-2), int64(0), int64(0), 1, "")
	f.Add(int64(0), d, int16(0), int16(0), int64(1), int64(0), int64(1), 5, "abc")
	srv, c := fuzzFake(f)
	f.Fuzz(func(t *testing.T, start, end int64, startOff, endOff int16, user, group, computer int64, pageSize int, token string) {
		srv.ResetRequests()
		p := &ActivityLogParams{StartDate: fuzzDate(start, startOff), EndDate: fuzzDate(end, endOff), UserID: user,
			GroupID: group, ComputerID: computer, PageSize: pageSize, PageToken: token}
		var err error
		for _, e := range c.ListActivityLog(context.Background(), p).Pages() {
			err = e
			break
		}
		size := pageSize
		if size == 0 {
			size = MaxPageSize
		}
		want := map[string]string{
			"clientId": idParam(user), "groupId": idParam(group), "deviceId": idParam(computer),
			"pageSize": strconv.Itoa(size), "cursor": token, "startDate": "", "endDate": "",
		}
		if !p.StartDate.IsZero() {
			want["startDate"] = p.StartDate.Format(dateLayout)
		}
		if !p.EndDate.IsZero() {
			want["endDate"] = p.EndDate.Format(dateLayout)
		}
		checkParams(t, srv, err, "/reports/v2/activitylog", want)
	})
}
