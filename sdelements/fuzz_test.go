package sdelements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/activitysdk/activity-go/internal/contract"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// fuzzSecret is the fuzzed clients' token; no error may show it.
const fuzzSecret = "sdeFuzzT0kenXy42Lm"

const fuzzHost = "127.0.0.1:9"

// specPage is the list example of the SD Elements documentation: dates end in
// "Z" or "+00:00".
const specPage = `{"results": [{"id": 5,"name": "CreatedGroupActivity","actor": 1,"text": "Admin Testerton created group group A","date": "2016-05-06T14:53:28.557156Z","data": {"target_group_desc": "group A","group": "G1","group_desc": "group A"},"icon": "user","log_level": "success"},{"id": 3,"date": "2016-03-30T17:10:20.532634+00:00","actor": 7,"name": "ModifiedBusinessUnitActivity","text": "Admin Testerton modified business unit Example BU 500","data": {"business_unit": 5,"business_unit_desc": "Example BU 500"},"icon": "edit","log_level": ""},{"id": 2,"date": "2016-03-30T15:16:05.659610+00:00","actor": 1,"name": "UserCreatedActivity","text": "Admin Testerton created user Cindy Lu","data": {"user": "U7"},"icon": "user","log_level": ""},{"id": 1,"date": "2016-03-30T15:14:46.634929+00:00","actor": 1,"name": "LoggedInActivity","text": "Admin Testerton logged in","data": {},"icon": "user","log_level": ""}]}`

// newAnswerer is the in-memory transport the decoder targets use: the
// fuzzed answer first, then an empty last page, and no host but fuzzHost.
func newAnswerer() *fakeserver.Answerer {
	return &fakeserver.Answerer{Host: fuzzHost, Then: []byte(`{"results":[],"next":null}`)}
}

func fuzzClient(t testing.TB, rt http.RoundTripper) *Client {
	c, err := NewClient(WithBaseURL("http://"+fuzzHost+"/sde"), WithHTTPClient(&http.Client{Transport: rt}),
		WithToken(fuzzSecret), WithRetryPolicy(NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzDecodeActivity(f *testing.F) {
	f.Add([]byte(`{"id": 2,"date": "2016-03-30T15:16:05.659610+00:00","actor": 1,"name": "UserCreatedActivity","text": "Admin Testerton created user Cindy Lu","data": {"user": "U7"},"icon": "user","log_level": ""}`), int64(1459350965), int64(659610000))
	f.Add([]byte(`{"id": 5,"actor": null,"date": "2016-05-06T14:53:28.557156Z","data": {"application": 12, "project": "7", "standard": true}}`), int64(0), int64(0))
	f.Add([]byte(`{"date": null, "data": null}`), int64(-62135596800), int64(1))
	f.Add([]byte(`{"date": "2016-05-06T14:53:28"}`), int64(253402300799), int64(999999999))
	f.Fuzz(func(t *testing.T, body []byte, sec, nsec int64) {
		var a Activity
		if json.Unmarshal(body, &a) == nil {
			a.normalize()
			if !a.Date.IsZero() && a.Date.Location() != time.UTC {
				t.Fatalf("Date %v not in UTC", a.Date)
			}
			for _, k := range []string{"application", "project", "business_unit", "standard", "user"} {
				a.DataString(k)
			}
			a.ApplicationID()
			a.ProjectDesc()
			var m map[string]any
			_ = a.DecodeData(&m)
		}
		// "Z" and "+00:00" name the same instant.
		sec %= 253402300799
		if sec < 0 {
			sec = -sec
		}
		ts := time.Unix(sec-62135596800+86400, (nsec%1e9+1e9)%1e9).UTC().Truncate(time.Microsecond)
		if ts.Year() > 9999 {
			return
		}
		z := ts.Format("2006-01-02T15:04:05.000000Z")
		plus := ts.Format("2006-01-02T15:04:05.000000") + "+00:00"
		var az, ap Activity
		if err := json.Unmarshal([]byte(`{"date":"`+z+`"}`), &az); err != nil {
			t.Fatalf("%s: %v", z, err)
		}
		if err := json.Unmarshal([]byte(`{"date":"`+plus+`"}`), &ap); err != nil {
			t.Fatalf("%s: %v", plus, err)
		}
		az.normalize()
		ap.normalize()
		if !az.Date.Equal(ts) || !ap.Date.Equal(ts) || az.Date != ap.Date {
			t.Fatalf("%s -> %v, %s -> %v, want %v", z, az.Date, plus, ap.Date, ts)
		}
	})
}

// FuzzListPage feeds an arbitrary first answer to a walk: the page decodes or
// fails cleanly, and whatever "next" link it carries, no request leaves the
// instance's host.
func FuzzListPage(f *testing.F) {
	f.Add([]byte(specPage))
	f.Add([]byte(`{"count": 9, "next": "http://127.0.0.1:9/sde/api/v2/activities/?page=2&page_size=4", "previous": null, "results": []}`))
	f.Add([]byte(`{"count": 9, "next": "https://evil.test/sde/api/v2/activities/?page=2", "results": [{"id": 1}]}`))
	f.Add([]byte(`{"next": "//evil.test/sde/api/v2/activities/", "results": []}`))
	f.Add([]byte(`{"next": "/sde/api/v2/activities/?page=3", "results": []}`))
	f.Add([]byte(`{"next": "/sde/api/v2/other/?page=3", "results": []}`))
	f.Add([]byte(`{"next": "http://127.0.0.1:9@evil.test/sde/api/v2/activities/", "results": []}`))
	f.Add([]byte(`[{"id": 1, "date": "2016-03-30T15:14:46.634929+00:00"}]`))
	f.Add([]byte(`{"detail": "not a page"}`))
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	f.Fuzz(func(t *testing.T, body []byte) {
		rt.Set(200, http.Header{"Content-Type": {"application/json"}}, body, false)
		n := 0
		for p, err := range c.ListActivities(context.Background(), nil).Pages() {
			if err != nil {
				if strings.Contains(err.Error(), fuzzSecret) {
					t.Fatalf("error shows the token: %v", err)
				}
				break
			}
			for _, a := range p.Items {
				if !a.Date.IsZero() && a.Date.Location() != time.UTC {
					t.Fatalf("Date %v not in UTC", a.Date)
				}
			}
			if n++; n == 3 || p.NextPageToken == "" {
				break
			}
		}
		for _, h := range rt.Hosts() {
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
		{401, `{"detail": "Invalid token."}`},
		{401, `{"detail": "Invalid token ` + fuzzSecret + `.", "code": "authentication_failed"}`},
		{400, `{"date_from": ["Enter a valid date/time."], "page_size": "bad\nvalue"}`},
		{400, `{"non_field_errors": ["a", ["b", {"c": 1}]]}`},
		{400, `["one", "two"]`},
		{403, `<!DOCTYPE html><html><head><title>Forbidden</title></head></html>`},
		{500, `{"detail": null, "x": {}}`},
	} {
		f.Add(s.status, []byte(s.body), "req-1")
	}
	f.Add(404, []byte(`{"detail": "Not found."}`), "rid "+fuzzSecret)
	// The secret with every character escaped: only redaction after decoding
	// keeps it out of the decoded fields.
	x := fakeserver.JSONEscapeAll(fuzzSecret)
	f.Add(400, []byte(`{"detail": `+x+`, "non_field_errors": [`+x+`], "date_from": [`+x+`, {"k": `+x+`}]}`), "r")
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	f.Fuzz(func(t *testing.T, status int, body []byte, requestID string) {
		status = 400 + int(uint(status)%200)
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {requestID}}
		rt.Set(status, h, body, true)
		_, err := c.GetActivity(context.Background(), 1)
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

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fuzzTime makes a date parameter from fuzz input: zero when sec is 0, else
// an instant in years 1..9999 UTC, in a fixed zone.
func fuzzTime(sec, nsec int64, offMin int16) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	if sec < 0 {
		sec = -(sec + 1)
	}
	sec %= 253402300799 - 2*86400
	return time.Unix(sec-62135596800+86400, (nsec%1e9+1e9)%1e9).In(time.FixedZone("", int(offMin%(18*60))*60))
}

// FuzzListActivitiesParams sends fuzzed params to the fake: either a
// *ValidationError naming a field comes back before any request, or the
// values the fake parses from the query are the params sent.
func FuzzListActivitiesParams(f *testing.F) {
	d := time.Date(2016, 3, 30, 15, 14, 46, 634929500, time.UTC).Unix()
	f.Add(int64(1), int64(0), int64(0), int64(0), int64(0), int64(0), "", "", "", "", "", "", d, int64(634929500), d+60, int64(0), int16(0), 0, "")
	f.Add(int64(0), int64(7), int64(3), int64(5), int64(40), int64(2), "Example App", "BU 500", "Proj & co", ActivityLoggedIn, "T21", "T21: Ensure confidential data is sent over an encrypted channel", int64(0), int64(0), int64(0), int64(0), int16(120), 1000, "")
	f.Add(int64(-1), int64(0), int64(0), int64(0), int64(0), int64(0), "a\x00b", "", "", "", "CT", "", d+60, int64(1), d, int64(0), int16(-330), 1001, "")
	f.Add(int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), "", "", "", "", "X9", "é%zz+", d, int64(999), d, int64(999), int16(0), -1, "http://evil.test/api/v2/activities/")
	f.Add(int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), "", "", "", "", "", "", int64(0), int64(0), int64(0), int64(0), int16(0), 0, "/api/v2/activities/?page=2&page_size=3")
	srv := sdelementstest.NewServer()
	f.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Host != host {
			return nil, fmt.Errorf("request to foreign host %q refused by the test", req.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := NewClient(WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: guard}),
		WithToken(sdelementstest.Token), WithRetryPolicy(NoRetries))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, actor, user, app, bu, project, id int64, appDesc, buDesc, projDesc, name, standard, standardDesc string,
		fromSec, fromNsec, toSec, toNsec int64, offMin int16, pageSize int, token string) {
		// A fuzzed PageToken is a saved next link with any query: the
		// request may be off-contract on purpose; the fake's answer may not.
		contract.Bind(answersOnly{t}, srv.URL)
		srv.ResetRequests()
		p := &ListActivitiesParams{Actor: actor, User: user, Application: app, BusinessUnit: bu, Project: project, ID: id,
			ApplicationDesc: appDesc, BusinessUnitDesc: buDesc, ProjectDesc: projDesc, Name: name, Standard: standard,
			StandardDesc: standardDesc, DateFrom: fuzzTime(fromSec, fromNsec, offMin), DateTo: fuzzTime(toSec, toNsec, -offMin),
			PageSize: pageSize, PageToken: token}
		var err error
		for _, e := range c.ListActivities(context.Background(), p).Pages() {
			err = e
			break
		}
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
		r := reqs[0]
		if r.Path != "/api/v2/activities/" {
			t.Fatalf("fake got path %q", r.Path)
		}
		size := pageSize
		if size == 0 {
			size = DefaultPageSize
		}
		if token != "" {
			// A resumed walk sends the token's own query, untouched.
			u, lerr := c.core.ResolveLink(token)
			if lerr != nil || u == nil {
				t.Fatalf("token %q was sent though ResolveLink says %v, %v", token, u, lerr)
			}
			wantQ := u.Query()
			if !wantQ.Has("page_size") {
				wantQ.Set("page_size", strconv.Itoa(size))
			}
			if wantQ.Encode() != r.Query.Encode() {
				t.Fatalf("token %q: fake got %q, want %q", token, r.RawQuery, wantQ.Encode())
			}
			return
		}
		q := r.Query
		want := map[string]string{}
		for k, v := range map[string]int64{"actor": actor, "user": user, "application": app, "business_unit": bu, "project": project, "id": id} {
			if v != 0 {
				want[k] = strconv.FormatInt(v, 10)
			}
		}
		for k, v := range map[string]string{"application_desc": appDesc, "business_unit_desc": buDesc, "project_desc": projDesc,
			"name": name, "standard": standard, "standard_desc": standardDesc} {
			if v != "" {
				want[k] = v
			}
		}
		want["page_size"] = strconv.Itoa(size)
		for k, v := range want {
			if got := q.Get(k); got != v {
				t.Fatalf("fake parsed %s=%q, want %q (raw %q)", k, got, v, r.RawQuery)
			}
		}
		// Dates: the fake reads an instant within a microsecond of the
		// param, on the inclusive side, in UTC.
		checkDate := func(name string, want time.Time, up bool) {
			v := q.Get(name)
			if want.IsZero() {
				if q.Has(name) {
					t.Fatalf("%s sent though not set: %q", name, v)
				}
				return
			}
			if !strings.HasSuffix(v, "Z") {
				t.Fatalf("%s=%q is not UTC with Z", name, v)
			}
			got, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				t.Fatalf("%s=%q does not parse: %v", name, v, err)
			}
			diff := got.Sub(want)
			if up && (diff < 0 || diff >= time.Microsecond) || !up && (diff > 0 || diff <= -time.Microsecond) {
				t.Fatalf("%s=%q is %v from %v", name, v, diff, want)
			}
		}
		checkDate("date_from", p.DateFrom, true)
		checkDate("date_to", p.DateTo, false)
		extra := len(q) - len(want)
		if !p.DateFrom.IsZero() {
			extra--
		}
		if !p.DateTo.IsZero() {
			extra--
		}
		if extra != 0 {
			t.Fatalf("fake got unexpected parameters: %q", r.RawQuery)
		}
	})
}

// answersOnly reports a fake's answer violations to the test and drops its
// request violations (for inputs that are arbitrary on purpose).
type answersOnly struct{ testing.TB }

func (a answersOnly) Errorf(format string, args ...any) {
	a.TB.Helper()
	if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, ": request does not validate:") {
		a.TB.Errorf("%s", msg)
	}
}
