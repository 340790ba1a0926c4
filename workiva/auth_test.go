package workiva_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/contract"
	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// The 2026-01-01 token request: a form POST to {base}/oauth2/token with the
// client credentials in the body (not HTTP Basic), X-Version and the SDK's
// User-Agent. (Contract change of issue 13: the credentials used to travel
// in HTTP Basic, and the token request carried neither header.)
func TestTokenExchangeOnTheWire(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithScopes("activity:read"), workiva.WithUserAgent("nightly-export/2"))
	for range 3 {
		_, err := c.GetActivityAction(context.Background(), "com.workiva.iam.user.login")
		require.NoError(t, err)
	}
	toks := srv.TokenRequests()
	require.Len(t, toks, 1, "the token is cached")
	r := toks[0]
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "/oauth2/token", r.Path)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	form, err := url.ParseQuery(string(r.Body))
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {workivatest.ClientID},
		"client_secret": {workivatest.ClientSecret},
		"scope":         {"activity:read"},
	}, form)
	assert.Empty(t, r.Header.Get("Authorization"), "no HTTP Basic")
	assert.Equal(t, "2026-01-01", r.Header.Get("X-Version"))
	assert.Equal(t, "activity-go/"+core.Version+" nightly-export/2", r.Header.Get("User-Agent"))
	assert.Equal(t, "2026-01-01", srv.Requests()[0].Header.Get("X-Version"))
	assert.Equal(t, r.Header.Get("User-Agent"), srv.Requests()[0].Header.Get("User-Agent"))
}

// Without WithScopes no scope is sent.
func TestTokenRequestWithoutScope(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	_, err := c.GetActivityAction(context.Background(), "com.workiva.iam.user.login")
	require.NoError(t, err)
	form, err := url.ParseQuery(string(srv.TokenRequests()[0].Body))
	require.NoError(t, err)
	assert.Equal(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {workivatest.ClientID},
		"client_secret": {workivatest.ClientSecret}}, form)
}

func TestWithTokenURL(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	// The API under a base path, the token endpoint at the host's root.
	c := newClient(t, srv, workiva.WithTokenURL(srv.URL+"/oauth2/token"), workiva.WithBaseURL(srv.URL+"/"))
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
	require.NoError(t, err)
	assert.Equal(t, "/oauth2/token", srv.TokenRequests()[0].Path)
}

// The 2022-01-01 endpoint rejects X-Version 2026-01-01: the pair is refused
// at NewClient, whatever the host or the case of the path.
func TestWithTokenURLRefusesTheLegacyEndpoint(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"https://api.app.wdesk.com/iam/v1/oauth2/token", "https://api.eu.wdesk.com/IAM/v1/oauth2/token/",
		"http://127.0.0.1:9/iam/v1/oauth2/token"} {
		_, err := workiva.NewClient(workiva.WithClientCredentials("id", "secret"), workiva.WithTokenURL(u))
		require.Error(t, err, u)
		assert.Contains(t, err.Error(), "is the 2022-01-01 endpoint, which rejects X-Version 2026-01-01; use ")
		assert.Contains(t, err.Error(), "/oauth2/token")
	}
}

// workivatest refuses a token request whose credentials are only in Basic,
// and its legacy path refuses X-Version 2026-01-01.
func TestFakeRefusesBasicOnlyTokenRequest(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	post := func(path string, form url.Values, basic bool, version string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth(workivatest.ClientID, workivatest.ClientSecret)
		}
		if version != "" {
			req.Header.Set("X-Version", version)
		}
		if path != "/oauth2/token" {
			// Not in the 2026-01-01 document, on purpose.
			req.Header.Set(contract.ExpectViolation, "not found")
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var raw map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
		code, _ := raw["error"].(string)
		return resp.StatusCode, code
	}
	status, code := post("/oauth2/token", url.Values{"grant_type": {"client_credentials"}}, true, "2026-01-01")
	assert.Equal(t, 401, status)
	assert.Equal(t, "invalid_client", code)
	status, _ = post("/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {workivatest.ClientID},
		"client_secret": {workivatest.ClientSecret}}, false, "2026-01-01")
	assert.Equal(t, 200, status)
	status, _ = post("/iam/v1/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {workivatest.ClientID},
		"client_secret": {workivatest.ClientSecret}}, false, "2026-01-01")
	assert.Equal(t, 404, status)
	assert.Equal(t, 0, srv.TokensIssued()-1, "one token issued, by the form request")
}

func TestBadCredentialsSurfaceTokenError(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	const secret = "not-the-secret-7781"
	var logs bytes.Buffer
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL), workiva.WithClientCredentials(workivatest.ClientID, secret),
		workiva.WithRetryPolicy(fastRetry), workiva.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)

	_, err = c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, nil).Collect()
	var te *workiva.TokenError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 401, te.StatusCode)
	assert.Equal(t, "invalid_client", te.Code)
	assert.Equal(t, "Client authentication failed", te.Description)
	assert.Equal(t, "https://developers.workiva.com/authentication", te.URI)
	assert.ErrorIs(t, err, workiva.ErrUnauthorized)
	var re *workiva.RequestError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "token endpoint answered 401 Unauthorized: invalid_client: Client authentication failed")
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, logs.String(), secret)
	assert.Empty(t, srv.Requests(), "no API request without a token")
}

func TestTokenEndpointFaults(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	f := workivatest.Fault503
	f.Path = workivatest.TokenPath
	// One transient failure is retried like a request.
	srv.FailNext(f)
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(0))
	require.NoError(t, err)
	toks := srv.TokenRequests()
	require.Len(t, toks, 2)
	require.NotNil(t, toks[0].Fault)
	assert.Nil(t, toks[1].Fault)

	// Failures past the retry budget surface as a TokenError.
	srv.ExpireTokens()
	c = newClient(t, srv)
	srv.FailNext(f, f, f, f)
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(0))
	var te *workiva.TokenError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 503, te.StatusCode)
	assert.Equal(t, "temporarily_unavailable", te.Code)
	assert.Equal(t, "injected fault: Service Unavailable", te.Description)
	assert.False(t, errors.Is(err, workiva.ErrUnauthorized))

	// A non-JSON answer keeps a snippet.
	html := workivatest.Fault{Kind: workivatest.Status, Status: 502, Path: "/oauth2",
		Body: "<html><title>Bad Gateway</title></html>"}
	srv.FailNext(html, html, html, html)
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(0))
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 502, te.StatusCode)
	assert.Equal(t, "Bad Gateway", te.Description)

	// Dropped connections: no status, the cause kept.
	drop := workivatest.Fault{Kind: workivatest.Drop, Path: workivatest.TokenPath}
	srv.FailNext(drop, drop, drop, drop)
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(0))
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 0, te.StatusCode)
	assert.Error(t, te.Err)
	assert.NotContains(t, err.Error(), workivatest.ClientSecret)

	// A 400 invalid_scope is not retried.
	bad := newClient(t, srv, workiva.WithScopes("activity:write"))
	before := len(srv.TokenRequests())
	_, err = bad.GetActivity(context.Background(), workivatest.ActivityID(0))
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "invalid_scope", te.Code)
	assert.Len(t, srv.TokenRequests(), before+1)

	// Then it works, and no API request ever carried a fault.
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(0))
	require.NoError(t, err)
	for _, r := range srv.Requests() {
		assert.Nil(t, r.Fault)
	}
}

func TestTokenExchangeHonoursContext(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	srv.FailNext(workivatest.Fault{Kind: workivatest.Slow, Delay: 5 * time.Second, Path: workivatest.TokenPath})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetActivity(ctx, workivatest.ActivityID(0))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
}

type countingSource struct {
	srv *workivatest.Server
	n   int
}

// Token gets a fresh token from the fake for every call.
func (s *countingSource) Token() (*oauth2.Token, error) {
	s.n++
	return clientCredentialsToken(s.srv)
}

func TestWithTokenSource(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	src := &countingSource{srv: srv}
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL), workiva.WithTokenSource(oauth2.ReuseTokenSource(nil, src)),
		workiva.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(3))
	require.NoError(t, err)
	assert.Equal(t, 1, src.n)

	// A failing source surfaces as a TokenError.
	bad, err := workiva.NewClient(workiva.WithBaseURL(srv.URL), workiva.WithTokenSource(failingSource{}), workiva.WithRetryPolicy(workiva.NoRetries))
	require.NoError(t, err)
	_, err = bad.GetActivity(context.Background(), workivatest.ActivityID(3))
	var te *workiva.TokenError
	require.ErrorAs(t, err, &te)
	assert.ErrorContains(t, err, "vault is sealed")
}

type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, errors.New("vault is sealed") }

// clientCredentialsToken fetches a token from the fake by hand.
func clientCredentialsToken(srv *workivatest.Server) (*oauth2.Token, error) {
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL), workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	if err != nil {
		return nil, err
	}
	before := srv.TokensIssued()
	if _, err := c.GetActivityAction(context.Background(), "com.workiva.iam.user.login"); err != nil {
		return nil, err
	}
	if srv.TokensIssued() != before+1 {
		return nil, errors.New("no token issued")
	}
	reqs := srv.Requests()
	auth := reqs[len(reqs)-1].Header.Get("Authorization")
	return &oauth2.Token{AccessToken: strings.TrimPrefix(auth, "Bearer "), TokenType: "Bearer", Expiry: time.Now().Add(5 * time.Minute)}, nil
}

// A token endpoint that echoes the client secret has it redacted from the
// TokenError fields and the message.
func TestTokenErrorRedactsEchoedSecret(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithRetryPolicy(workiva.NoRetries))
	srv.FailNext(workivatest.Fault{Kind: workivatest.Status, Status: 401, Path: workivatest.TokenPath,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"error":"invalid_client","error_description":"secret ` + workivatest.ClientSecret + ` refused","error_uri":"https://x.example/?s=` + workivatest.ClientSecret + `"}`})
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(0))
	var te *workiva.TokenError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "secret REDACTED refused", te.Description)
	assert.NotContains(t, te.URI, workivatest.ClientSecret)
	assert.NotContains(t, err.Error(), workivatest.ClientSecret)
}
