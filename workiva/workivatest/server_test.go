package workivatest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/activitysdk/activity-go/workiva/workivatest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// token fetches an access token with form-body credentials.
func token(t *testing.T, srv *workivatest.Server) string {
	t.Helper()
	resp, err := http.PostForm(srv.URL+"/iam/v1/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {workivatest.ClientID}, "client_secret": {workivatest.ClientSecret}})
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
		Scope       string `json:"scope"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	assert.Equal(t, "bearer", body.TokenType)
	assert.Equal(t, "activity:read", body.Scope)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	return body.AccessToken
}

type answer struct {
	status int
	body   map[string]any
	header http.Header
}

func get(t *testing.T, srv *workivatest.Server, tok, rawPath string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+rawPath, nil)
	require.NoError(t, err)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("X-Version", workivatest.APIVersion)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return answer{resp.StatusCode, m, resp.Header}
}

const orgPath = "/organizations/" + workivatest.OrganizationID + "/activities"

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	var elapsed atomic.Int64 // the fake's clock is moved, not slept through
	clock := func() time.Time {
		return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(elapsed.Load()))
	}
	srv := workivatest.NewServer(workivatest.WithTokenLifetime(1500*time.Millisecond), workivatest.WithClock(clock))
	defer srv.Close()
	tok := token(t, srv)
	assert.Equal(t, 200, get(t, srv, tok, orgPath+"?$maxpagesize=1").status)

	post := func(ct, body string, basic bool) answer {
		req, _ := http.NewRequest("POST", srv.TokenURL(), strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		if basic {
			req.SetBasicAuth(workivatest.ClientID, workivatest.ClientSecret)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return answer{resp.StatusCode, m, resp.Header}
	}
	form := "application/x-www-form-urlencoded"
	creds := "&client_id=" + workivatest.ClientID + "&client_secret=" + workivatest.ClientSecret
	a := post(form, "grant_type=client_credentials&scope=activity:read+file:read"+creds, false)
	assert.Equal(t, 200, a.status)
	assert.Equal(t, "activity:read file:read", a.body["scope"])
	assert.Equal(t, 2.0, a.body["expires_in"])
	for _, tc := range []struct {
		ct, body string
		basic    bool
		status   int
		code     string
	}{
		{form, "grant_type=password" + creds, false, 400, "unsupported_grant_type"},
		{"application/json", `{}`, false, 400, "invalid_request"},
		{form, "grant_type=client_credentials", false, 401, "invalid_client"},
		{form, "grant_type=client_credentials&client_id=x&client_secret=y", false, 401, "invalid_client"},
		// Since issue 13 the credentials must be in the body: Basic alone is refused.
		{form, "grant_type=client_credentials", true, 401, "invalid_client"},
		{form, "grant_type=client_credentials&scope=admin" + creds, false, 400, "invalid_scope"},
	} {
		a := post(tc.ct, tc.body, tc.basic)
		assert.Equal(t, tc.status, a.status, tc.body)
		assert.Equal(t, tc.code, a.body["error"], tc.body)
		assert.NotEmpty(t, a.body["error_description"])
	}
	resp, err := http.Get(srv.TokenURL())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, 2, srv.TokensIssued())
	assert.Len(t, srv.TokenRequests(), 9)

	// Unknown, expired and revoked tokens are refused in Workiva's shape.
	a = get(t, srv, "made-up", orgPath)
	assert.Equal(t, 401, a.status)
	assert.Equal(t, "401Unauthorized", a.body["code"])
	assert.Equal(t, "No valid API token provided", a.body["message"])
	elapsed.Add(int64(1600 * time.Millisecond))
	assert.Equal(t, 401, get(t, srv, tok, orgPath).status, "expired")
	tok = token(t, srv)
	assert.Equal(t, 200, get(t, srv, tok, orgPath+"?$maxpagesize=1").status)
	srv.ExpireTokens()
	assert.Equal(t, 401, get(t, srv, tok, orgPath).status, "revoked")
}

func TestAPIRequestRules(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer(workivatest.WithNextLink(workivatest.NextLinkToken))
	defer srv.Close()
	tok := token(t, srv)
	cases := []struct {
		path   string
		hdr    []string
		status int
		code   string
		target string
	}{
		{orgPath, []string{"X-Version", "2022-01-01"}, 404, "404NotFound", "X-Version"},
		{orgPath + "?%24maxpagesize=5", nil, 400, "BadArgument", "%24maxpagesize"},
		{orgPath + "?$maxpagesize=0", nil, 400, "BadArgument", "$maxpagesize"},
		{orgPath + "?$maxpagesize=1001", nil, 400, "BadArgument", "$maxpagesize"},
		{orgPath + "?$maxpagesize=ten", nil, 400, "BadArgument", "$maxpagesize"},
		{orgPath + "?$next=!!!", nil, 400, "InvalidNext", "$next"},
		{orgPath + "?$orderBy=summary", nil, 400, "BadArgument", "$orderBy"},
		{"/activityActions?$orderBy=category", nil, 400, "BadArgument", "$orderBy"},
		{"/activityActions?$orderBy=id+sideways", nil, 400, "BadArgument", "$orderBy"},
		{"/organizations/other/activities", nil, 404, "404NotFound", "organizationId"},
		{"/organizations/other/workspaces/" + url.PathEscape(workivatest.WorkspaceA) + "/activities", nil, 404, "404NotFound", "organizationId"},
		{"/activityActions/nope", nil, 404, "404NotFound", "activityActionId"},
		{"/nothing/here", nil, 404, "404NotFound", ""},
	}
	for _, tc := range cases {
		a := get(t, srv, tok, tc.path, tc.hdr...)
		assert.Equal(t, tc.status, a.status, tc.path)
		assert.Equal(t, tc.code, a.body["code"], tc.path)
		if tc.target != "" {
			assert.Equal(t, tc.target, a.body["target"], tc.path)
		}
		assert.Equal(t, "2026-01-01", a.body["version"], tc.path)
	}
	req, _ := http.NewRequest("DELETE", srv.URL+orgPath, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Version", workivatest.APIVersion)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)

	// A $next token only works with the $filter and $orderBy it was issued for.
	a := get(t, srv, tok, orgPath+"?$maxpagesize=2&$orderBy=activityDateTime+desc")
	next := a.body["@nextLink"].(string)
	assert.Equal(t, 200, get(t, srv, tok, orgPath+"?$maxpagesize=7&$orderBy=activityDateTime+desc&$next="+url.QueryEscape(next)).status)
	b := get(t, srv, tok, orgPath+"?$maxpagesize=2&$next="+url.QueryEscape(next))
	assert.Equal(t, 400, b.status)
	assert.Equal(t, "InvalidNext", b.body["code"])
}

func TestFilterGrammar(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer(workivatest.WithActivities(100))
	defer srv.Close()
	tok := token(t, srv)
	count := func(filter string) (int, answer) {
		a := get(t, srv, tok, orgPath+"?$filter="+url.QueryEscape(filter))
		if a.status != 200 {
			return -1, a
		}
		return len(a.body["data"].([]any)), a
	}
	user0 := workivatest.UserIDs()[0]
	ok := map[string]int{
		"action.alias eq 'user_login'":                                                          8, // 7i%13 == 0
		"action.alias in ('user_login', 'user_logout')":                                         16,
		"ACTION.ALIAS eq 'user_login'":                                                          -1,
		"action.id eq 'com.workiva.iam.user.login'":                                             8,
		"performer.id eq '" + workivatest.PerformerIDs()[0] + "'":                               21,
		"target.id eq '" + user0 + "'":                                                          15,
		"target.id eq '" + workivatest.WorkspaceA + "'":                                         25,
		"activityDateTime lt 2026-01-01T00:10:00Z":                                              10,
		"activityDateTime le '2026-01-01T00:10:00Z'":                                            11,
		"activityDateTime gt 2026-01-01T01:00:00Z":                                              39,
		"activityDateTime ge 2026-01-01T01:00:00Z":                                              40,
		"activityDateTime eq 2026-01-01T01:00:00Z":                                              1,
		"activityDateTime ge 2026-01-01T01:00:00Z AND activityDateTime lt 2026-01-01T01:10:00Z": 10,
		"(activityDateTime lt 2026-01-01T00:05:00Z or activityDateTime ge 2026-01-01T01:35:00Z) and action.alias eq 'user_login'": 1,
		"activityDateTime lt 2026-01-01T00:05:00Z or activityDateTime ge 2026-01-01T01:35:00Z and action.alias eq 'user_login'":   5,
		"performer.id eq 'O''Brien'": 0,
	}
	for f, want := range ok {
		n, a := count(f)
		assert.Equal(t, want, n, "%s: %v", f, a.body)
	}
	for _, bad := range []string{"action.alias eq user_login", "action.alias lt 'x'", "activityDateTime in ('x')",
		"activityDateTime ge yesterday", "summary eq 'x'", "action.alias eq 'x' and", "(action.alias eq 'x'",
		"action.alias in 'x'", "action.alias in ('x' 'y')", "action.alias eq 'x", "action.alias eq 'x' )", "action.alias",
		"'action.alias' eq 'x'", "activityDateTime ne 2026-01-01T00:00:00Z", "action.alias eq"} {
		n, a := count(bad)
		assert.Equal(t, -1, n, bad)
		assert.Equal(t, 400, a.status, bad)
		assert.Equal(t, "InvalidFilter", a.body["code"], bad)
		assert.NotEmpty(t, a.body["details"], bad)
	}
}

func TestMillionActivitiesAreCheap(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer(workivatest.WithActivities(1_000_000), workivatest.WithNextLink(workivatest.NextLinkPath))
	defer srv.Close()
	tok := token(t, srv)
	start := time.Now()
	a := get(t, srv, tok, orgPath+"?$orderBy=activityDateTime+desc")
	require.Equal(t, 200, a.status)
	data := a.body["data"].([]any)
	require.Len(t, data, 1000)
	assert.Equal(t, workivatest.ActivityID(999_999), data[0].(map[string]any)["id"])
	link := a.body["@nextLink"].(string)
	assert.True(t, strings.HasPrefix(link, orgPath+"?$next="), link)
	assert.Contains(t, link, "$orderBy=activityDateTime+desc")

	// A filter nothing matches answers after a bounded scan with an empty page
	// that still links onwards.
	b := get(t, srv, tok, orgPath+"?$filter="+url.QueryEscape("action.alias eq 'nope'"))
	require.Equal(t, 200, b.status)
	assert.Empty(t, b.body["data"])
	assert.NotEmpty(t, b.body["@nextLink"])
	assert.Less(t, time.Since(start), 5*time.Second)

	one := get(t, srv, tok, "/activities/"+url.PathEscape(workivatest.ActivityID(123_456)))
	require.Equal(t, 200, one.status)
	assert.Equal(t, workivatest.ActivityID(123_456), one.body["id"])
	assert.Equal(t, srv.ActivityTime(123_456).Format(time.RFC3339), one.body["activityDateTime"])
	assert.Equal(t, 1_000_000, srv.ActivityCount())
}

func TestFaultsSpareTheTokenEndpoint(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	srv.FailNext(workivatest.Fault503)
	srv.FailRandomly(1, 1, workivatest.Fault500)
	tok := token(t, srv) // neither fault reaches it
	assert.Equal(t, 503, get(t, srv, tok, orgPath).status)
	assert.Equal(t, 500, get(t, srv, tok, orgPath).status)
	srv.ClearFaults()
	assert.Equal(t, 200, get(t, srv, tok, orgPath).status)

	f := workivatest.Fault429
	f.Path = workivatest.TokenPath
	srv.FailNext(f)
	resp, err := http.PostForm(srv.TokenURL(), url.Values{"grant_type": {"client_credentials"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	srv.FailNext(f)
	srv.ClearFaults()
	token(t, srv)

	slow := workivatest.Fault{Kind: workivatest.Slow, Delay: 10 * time.Millisecond, Path: "/iam"}
	trunc := workivatest.Fault{Kind: workivatest.Truncate, Path: "/oauth2/"}
	srv.FailNext(slow, trunc)
	resp, err = http.PostForm(srv.URL+"/iam/v1/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {workivatest.ClientID}, "client_secret": {workivatest.ClientSecret}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	resp, err = http.PostForm(srv.TokenURL(), url.Values{"grant_type": {"client_credentials"},
		"client_id": {workivatest.ClientID}, "client_secret": {workivatest.ClientSecret}})
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Error(t, err, "truncated")
}

func TestActivityIDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := workivatest.ActivityID(i)
		assert.True(t, strings.HasPrefix(id, "+/+/") && strings.HasSuffix(id, "="), id)
		assert.False(t, seen[id])
		seen[id] = true
	}
	assert.Len(t, workivatest.Actions(), 13)
	assert.Len(t, workivatest.PerformerIDs(), 5)
	assert.Len(t, workivatest.UserIDs(), 7)
	assert.Equal(t, "429TooManyRequests", workivatest.StatusCode(429))
}

func TestTLSAndTimeline(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	srv := workivatest.NewServer(workivatest.WithTLS(), workivatest.WithTimeline(start, time.Hour), workivatest.WithClock(time.Now))
	defer srv.Close()
	assert.True(t, strings.HasPrefix(srv.URL, "https://"))
	assert.Equal(t, start.Add(5*time.Hour), srv.ActivityTime(5))
}
