package workiva

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// fuzzSecret is the fuzzed clients' access token; no error may show it.
const fuzzSecret = "wkFuzzAccessT0ken9Zq"

// fuzzBase is the base URL of the fuzzed clients; newAnswerer answers it
// without any network.
const fuzzBase = "http://127.0.0.1:9"

const specActivity = `{"id": "NjE0MjIxODItOTVkYi00YmFjLWI4ZjktNzRkMDg1OTdlMDgwOlFYVmthWFJNYjJjZVFYVmthWFJNYjJjNk5ETXpaamN4TUdVMU5HRTBOR1V5Tm1JeU5ERmtOREJsWXpNMlpHWXhNVFE=", "summary": "Adam Admin updated the workspace 'Organization Management'", "action": {"id": "com.workiva.administration.workspace.update", "alias": "workspace_update", "category": "Administration", "name": "Workspace updated", "deprecated": false}, "performer": {"id": "V0ZWc2VyHzE0NT8xNzAyMDA", "type": "com.workiva.iam.principal.user", "displayName": "Adam Admin", "uniqueName": "admin_admin@example.com", "ipAddress": "192.168.1.1\n"}, "targets": [{"id": "QWNjb3VudB81MzIzMjkwOTM4NzAzODcy", "uniqueName": "string", "displayName": "Organization Management", "type": "com.workiva.administration.workspace"}], "activityDateTime": "2021-01-30T13:55:01Z", "workspace": {"id": "QWNjb3VudB81MzIzMjkwOTM4NzAzODcy", "name": "Organization Management"}, "organization": {"id": "a25bc16f-fb62-4aff-a87e-1cca4b2113c0", "name": "Workiva"}, "outcome": "success", "tags": ["correlationId:2a1b4dee6e9f001dbbbc0007f7f3", "eventId:k94s-vJyTaca5HERbNZi_21v"], "attachments": [{"entityChanges": {"propertyName": "displayName", "new": "Organization Management", "old": "New Workspace"}}]}`

// newAnswerer is the in-memory transport the decoder targets use: the
// fuzzed answer first, then an empty last page, and no host but fuzzBase's.
func newAnswerer() *fakeserver.Answerer {
	return &fakeserver.Answerer{Host: strings.TrimPrefix(fuzzBase, "http://"), Then: []byte(`{"data":[]}`)}
}

func fuzzClient(t testing.TB, rt http.RoundTripper) *Client {
	c, err := NewClient(WithBaseURL(fuzzBase), WithHTTPClient(&http.Client{Transport: rt}),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fuzzSecret})),
		WithRetryPolicy(NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzDecodeActivity(f *testing.F) {
	f.Add([]byte(specActivity))
	f.Add([]byte(`{"id":"x","performer":{"ipAddress":" \t10.0.0.1 \r\n"},"activityDateTime":"2026-01-01T00:00:00.123456789+05:30","workspace":null}`))
	f.Add([]byte(`{"activityDateTime":"2021-01-30T13:55:01"}`))
	f.Add([]byte(`{"performer":null,"targets":[null],"attachments":[null,1,"x"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var a Activity
		if json.Unmarshal(body, &a) != nil {
			return
		}
		if ip := a.Performer.IPAddress; ip != strings.TrimSpace(ip) {
			t.Fatalf("IPAddress %q is not trimmed", ip)
		}
		// A decoded activity encodes, and decodes again to the same text.
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("Marshal of a decoded activity: %v", err)
		}
		var b Activity
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		again, _ := json.Marshal(b)
		if !bytes.Equal(out, again) {
			t.Fatalf("round trip changed the activity:\n%s\n%s", out, again)
		}
	})
}

// FuzzListPage feeds an arbitrary first answer to a walk: the envelope
// decodes or fails cleanly, and whatever @nextLink it carries, no request
// leaves the client's host.
func FuzzListPage(f *testing.F) {
	f.Add([]byte(`{"data": [` + specActivity + `], "@nextLink": "<opaque_url>"}`))
	f.Add([]byte(`{"data": [], "@nextLink": "http://127.0.0.1:9/organizations/o/activities?$next=abc"}`))
	f.Add([]byte(`{"data": [], "@nextLink": "https://evil.test/organizations/o/activities?$next=abc"}`))
	f.Add([]byte(`{"data": [], "@nextLink": "//evil.test/x"}`))
	f.Add([]byte(`{"data": [], "@nextLink": "/organizations/o/activities?$next=2"}`))
	f.Add([]byte(`{"data": [], "@nextLink": "http://127.0.0.1:9@evil.test/"}`))
	f.Add([]byte(`{"data": null, "@nextLink": null}`))
	f.Add([]byte(`{"data": [{"activityDateTime": "yesterday"}]}`))
	f.Add([]byte(`[]`))
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	f.Fuzz(func(t *testing.T, body []byte) {
		rt.Set(200, http.Header{"Content-Type": {"application/json"}}, body, false)
		done := make(chan string, 1)
		go func() {
			pages := 0
			for p, err := range c.ListOrganizationActivities(context.Background(), "o", nil).Pages() {
				if err != nil {
					if strings.Contains(err.Error(), fuzzSecret) {
						done <- "error shows the token: " + err.Error()
						return
					}
					break
				}
				if pages++; pages == 3 || p.NextPageToken == "" {
					break
				}
			}
			done <- ""
		}()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the walk hangs on the answer %q", body)
		}
		for _, h := range rt.Hosts() {
			if h != "127.0.0.1:9" {
				t.Fatalf("a request went to %q (body %q)", h, body)
			}
		}
	})
}

// FuzzAPIError feeds arbitrary error answers through the client: the result
// is an *APIError with the status, its Error() is one line and never shows
// the token, even when the body or the request id echo it.
func FuzzAPIError(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{401, `{"code": "401Unauthorized", "message": "No valid API token provided"}`},
		{403, `{"code": "403Forbidden", "message": "The API token does not have permissions to perform the request"}`},
		{400, `{"code": "BadArgument", "message": "bad $orderBy", "target": "$orderBy", "details": [{"code": "InvalidOrder", "message": "m", "target": "name"}], "documentationUrl": "https://developers.workiva.com", "version": "2026-01-01"}`},
		{429, `{"code": "429TooManyRequests", "message": "Too many requests have been made against the API in too short a time"}`},
		{401, `{"error": "invalid_token", "error_description": "token ` + fuzzSecret + ` expired"}`},
		{502, `<html><head><title>502 Bad Gateway</title></head></html>`},
		{500, `{"code": "x\ny", "message": "a\r\nb", "target": "t\nu"}`},
	} {
		f.Add(s.status, []byte(s.body), "req-1")
	}
	f.Add(404, []byte(`{"message":"m"}`), "id-"+fuzzSecret)
	// The secret with every character escaped: only redaction after decoding
	// keeps it out of the decoded fields.
	x := fakeserver.JSONEscapeAll(fuzzSecret)
	f.Add(400, []byte(`{"code": `+x+`, "message": `+x+`, "target": `+x+`, "details": [{"code": `+x+`, "message": `+x+`, "target": `+x+`}], "documentationUrl": `+x+`, "version": `+x+`}`), "r")
	rt := newAnswerer()
	c := fuzzClient(f, rt)
	f.Fuzz(func(t *testing.T, status int, body []byte, requestID string) {
		status = 400 + int(uint(status)%200)
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {requestID}}
		rt.Set(status, h, body, true)
		_, err := c.GetActivity(context.Background(), "a")
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

// fuzzFake is one fake per fuzz target, started outside the fuzz callback.
func fuzzFake(f *testing.F) (*workivatest.Server, *Client) {
	srv := workivatest.NewServer(workivatest.WithActivities(3))
	f.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Host != host {
			return nil, fmt.Errorf("request to foreign host %q refused by the test", req.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := NewClient(WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: guard}),
		WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret), WithRetryPolicy(NoRetries))
	if err != nil {
		f.Fatal(err)
	}
	return srv, c
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// checkListRequest compares what the fake received with the params sent.
func checkListRequest(t *testing.T, srv *workivatest.Server, c *Client, err error, params, path, filter, orderBy string, pageSize int, token string) {
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
	// The token is opaque: it is sent as given (ResolveLink trims it only to
	// recognise a link); a blank one starts at the beginning.
	if strings.TrimSpace(token) == "" {
		token = ""
	}
	link, lerr := c.core.ResolveLink(token)
	if lerr != nil {
		t.Fatalf("token %q was refused by ResolveLink (%v) yet sent", token, lerr)
	}
	if link != nil {
		// A link is requested as is.
		if r.RawQuery != link.RawQuery {
			t.Fatalf("link %q: fake got query %q", token, r.RawQuery)
		}
		return
	}
	if r.Path != path {
		t.Fatalf("fake got path %q, want %q", r.Path, path)
	}
	q := r.Query
	want := map[string]string{"$filter": filter, "$orderBy": orderBy, "$next": token}
	if pageSize != 0 {
		want["$maxpagesize"] = strconv.Itoa(pageSize)
	}
	for k, v := range want {
		if got := q.Get(k); got != v || (v == "" && q.Has(k)) {
			t.Fatalf("%s: fake parsed %s=%q (present %v), want %q; raw query %q", params, k, got, q.Has(k), v, r.RawQuery)
		}
	}
	if len(q) != len(nonEmpty(want)) {
		t.Fatalf("%s: fake got extra parameters: %q", params, r.RawQuery)
	}
}

func nonEmpty(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

func FuzzListActivitiesParams(f *testing.F) {
	f.Add("action.alias in ('user_login', 'user_logout') and activityDateTime ge 2026-01-01T00:00:00Z", OrderByActivityDateTimeAsc, 10, "")
	f.Add("", OrderByActivityDateTimeDesc, 0, "")
	f.Add("performer.id eq 'a&b=c#d'", "", 1000, "opaque+token/==")
	f.Add(" ", "\t", -1, "")
	f.Add("x\x00", "y", 1001, "/organizations/"+workivatest.OrganizationID+"/activities?$next=2")
	f.Add("", "", 5, "https://evil.test/organizations/x/activities")
	f.Add("", "", 5, "//evil.test/x")
	f.Add("é%zz", "activityDateTime asc", 7, "%2F..%2F")
	srv, c := fuzzFake(f)
	path := "/organizations/" + workivatest.OrganizationID + "/activities"
	f.Fuzz(func(t *testing.T, filter, orderBy string, pageSize int, token string) {
		srv.ResetRequests()
		p := &ListActivitiesParams{Filter: filter, OrderBy: orderBy, PageSize: pageSize, PageToken: token}
		var err error
		for _, e := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, p).Pages() {
			err = e
			break
		}
		// Issue 15: an empty OrderBy sends ascending activityDateTime, the
		// order a feed continues in.
		if orderBy == "" {
			orderBy = OrderByActivityDateTimeAsc
		}
		checkListRequest(t, srv, c, err, "ListActivitiesParams", path, filter, orderBy, pageSize, token)
	})
}

func FuzzListActivityActionsParams(f *testing.F) {
	f.Add("", 0, "")
	f.Add("name asc", 2, "")
	f.Add("  ", 1000, "tok")
	f.Add("a\nb", -5, "/activityActions?$next=1")
	f.Add("x", 3, "http://127.0.0.1:1/activityActions")
	srv, c := fuzzFake(f)
	f.Fuzz(func(t *testing.T, orderBy string, pageSize int, token string) {
		srv.ResetRequests()
		p := &ListActivityActionsParams{OrderBy: orderBy, PageSize: pageSize, PageToken: token}
		var err error
		for _, e := range c.ListActivityActions(context.Background(), p).Pages() {
			err = e
			break
		}
		checkListRequest(t, srv, c, err, "ListActivityActionsParams", "/activityActions", "", orderBy, pageSize, token)
	})
}
