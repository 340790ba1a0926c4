package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestStaticAuthHeaders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		auth Auth
		want string
	}{
		{"basic", BasicAuth("api_key_123", ""), "Basic YXBpX2tleV8xMjM6"},
		{"bearer", BearerToken("tok-abc"), "Bearer tok-abc"},
		{"token scheme", SchemeToken("Token", "sde-xyz"), "Token sde-xyz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := echoServer(t, "")
			cl := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = c.auth })
			resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
			require.NoError(t, err)
			resp.Release()
			r, _ := srv.LastRequest()
			assert.Equal(t, c.want, r.Header.Get("Authorization"))
		})
	}
}

// tokenServer is an OAuth2 token endpoint plus an API that accepts only the
// most recently issued, unexpired token.
type tokenServer struct {
	*fakeserver.Server
	issued    atomic.Int32
	mu        sync.Mutex
	valid     map[string]time.Time
	lifetime  time.Duration
	rejectAll atomic.Bool
}

func newTokenServer(t *testing.T, lifetime time.Duration) *tokenServer {
	ts := &tokenServer{valid: map[string]time.Time{}, lifetime: lifetime}
	ts.Server = fakeserver.New(fakeserver.Config{
		Public: []string{"/oauth2/token"},
		Auth: fakeserver.CheckBearer(func(tok string) bool {
			ts.mu.Lock()
			defer ts.mu.Unlock()
			exp, ok := ts.valid[tok]
			return ok && time.Now().Before(exp) && !ts.rejectAll.Load()
		}),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth2/token" {
				// The credentials travel in the form body, never in Basic.
				_, _, basic := r.BasicAuth()
				if basic || r.PostFormValue("client_id") != "client-id" || r.PostFormValue("client_secret") != "client-secret-value" ||
					r.PostFormValue("grant_type") != "client_credentials" {
					fakeserver.WriteJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "bad client"})
					return
				}
				n := ts.issued.Add(1)
				tok := fmt.Sprintf("access-%d", n)
				ts.mu.Lock()
				ts.valid[tok] = time.Now().Add(ts.lifetime)
				ts.mu.Unlock()
				fakeserver.WriteJSON(w, 200, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int(ts.lifetime / time.Second)})
				return
			}
			fakeserver.WriteJSON(w, 200, map[string]any{"ok": true})
		}),
	})
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) revoke() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.valid = map[string]time.Time{}
}

func ccClient(t *testing.T, ts *tokenServer, secret string, mut func(*Config)) *Client {
	return newTestClient(t, ts.URL, func(c *Config) {
		c.NewAuth = func(hc *http.Client, _ func(string) string) (Auth, error) {
			return NewCachedToken(ClientCredentials(ts.URL+"/oauth2/token", "client-id", secret, []string{"activity:read"}, nil, hc), 5*time.Second), nil
		}
		if mut != nil {
			mut(c)
		}
	})
}

func TestClientCredentialsCachedAndRefreshedOn401(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, time.Hour)
	cl := ccClient(t, ts, "client-secret-value", nil)
	for i := 0; i < 3; i++ {
		resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
		require.NoError(t, err)
		resp.Release()
	}
	assert.Equal(t, int32(1), ts.issued.Load(), "one token for three calls")

	// The server forgets the token: a 401, one refresh, one retry.
	ts.revoke()
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, int32(2), ts.issued.Load())
	reqs := srvAPIRequests(ts.Requests())
	require.Len(t, reqs, 5)
	assert.Equal(t, "Bearer access-1", reqs[3].Header.Get("Authorization"))
	assert.Equal(t, "Bearer access-2", reqs[4].Header.Get("Authorization"))

	// A server that rejects every token: exactly one refresh, then the 401.
	ts.rejectAll.Store(true)
	_, err = cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, int32(3), ts.issued.Load())
}

func srvAPIRequests(rs []fakeserver.Request) []fakeserver.Request {
	var out []fakeserver.Request
	for _, r := range rs {
		if r.Path != "/oauth2/token" {
			out = append(out, r)
		}
	}
	return out
}

func TestClientCredentialsRefreshBeforeExpiry(t *testing.T) {
	t.Parallel()
	// Tokens live 100s; ccClient renews 5s early. At 94s the first token is
	// still sent, at 96s a new one is fetched: never an expired one, never a
	// fetch per call.
	ts := newTokenServer(t, 100*time.Second)
	cl := ccClient(t, ts, "client-secret-value", nil)
	ct := cl.cfg.Auth.(*CachedToken)
	base := time.Now()
	now := base
	var mu sync.Mutex
	ct.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	call := func(at time.Duration) {
		mu.Lock()
		now = base.Add(at)
		mu.Unlock()
		resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
		require.NoError(t, err)
		resp.Release()
	}
	call(0)
	call(94 * time.Second)
	assert.Equal(t, int32(1), ts.issued.Load())
	call(96 * time.Second)
	assert.Equal(t, int32(2), ts.issued.Load())
	// No call needed a 401 refresh and a second request.
	api := srvAPIRequests(ts.Requests())
	require.Len(t, api, 3)
	assert.Equal(t, "Bearer access-1", api[1].Header.Get("Authorization"))
	assert.Equal(t, "Bearer access-2", api[2].Header.Get("Authorization"))
}

func TestCachedTokenShortLivedRenewsAtNineTenths(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	base := time.Now()
	now := base
	var mu sync.Mutex
	ct := NewCachedToken(func(ctx context.Context) (*oauth2.Token, error) {
		n := calls.Add(1)
		mu.Lock()
		defer mu.Unlock()
		return &oauth2.Token{AccessToken: fmt.Sprintf("t%d", n), Expiry: now.Add(30 * time.Second)}, nil
	}, time.Minute)
	ct.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	at := func(d time.Duration) string {
		mu.Lock()
		now = base.Add(d)
		mu.Unlock()
		v, err := ct.Authorization(context.Background())
		require.NoError(t, err)
		return v
	}
	// A 30s token with early 1m: kept for 27s (not refetched on every call).
	assert.Equal(t, "Bearer t1", at(0))
	assert.Equal(t, "Bearer t1", at(26*time.Second))
	assert.Equal(t, "Bearer t2", at(28*time.Second))
	assert.Equal(t, int32(2), calls.Load())
}

func TestCachedTokenFetchPanicDoesNotWedge(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	ct := NewCachedToken(func(ctx context.Context) (*oauth2.Token, error) {
		if calls.Add(1) == 1 {
			panic("boom")
		}
		return &oauth2.Token{AccessToken: "ok"}, nil
	}, 0)
	_, err := ct.Authorization(context.Background())
	require.ErrorContains(t, err, "token fetch panicked: boom")
	v, err := ct.Authorization(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bearer ok", v)
}

func TestTokenFailureIsTypedAndSecretFree(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, time.Hour)
	logger, logs := newLogger()
	cl := ccClient(t, ts, "wrong-secret-XYZ", func(c *Config) { c.Settings.Logger = logger })
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.False(t, ae.Retryable)
	status, code, desc, _, ok := TokenEndpointError(err)
	require.True(t, ok)
	assert.Equal(t, 401, status)
	assert.Equal(t, "invalid_client", code)
	assert.Equal(t, "bad client", desc)
	assert.NotContains(t, err.Error(), "wrong-secret-XYZ")
	assert.NotContains(t, logs.String(), "wrong-secret-XYZ")
	assert.Equal(t, 0, len(srvAPIRequests(ts.Requests())), "no API request without a token")
}

func TestTokenEndpointTransientFailureIsRetried(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, time.Hour)
	ts.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 503, Path: "/oauth2/token"})
	cl := ccClient(t, ts, "client-secret-value", nil)
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, int32(1), ts.issued.Load())
}

// TestTokenFetchUsesRequestContext: the exchange runs on the caller's
// context, so cancelling a call cancels its token fetch, and a later call
// with a live context still gets a token.
func TestTokenFetchUsesRequestContext(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 4)
	release := make(chan struct{})
	var calls atomic.Int32
	ct := NewCachedToken(func(ctx context.Context) (*oauth2.Token, error) {
		n := calls.Add(1)
		started <- struct{}{}
		if n == 1 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-release:
			}
		}
		return &oauth2.Token{AccessToken: fmt.Sprintf("t%d", n), TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
	}, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := ct.Authorization(ctx); errc <- err }()
	<-started
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	v, err := ct.Authorization(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bearer t2", v)
	close(release)
}

func TestCachedTokenSharesOneFetch(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	gate := make(chan struct{})
	ct := NewCachedToken(func(ctx context.Context) (*oauth2.Token, error) {
		calls.Add(1)
		<-gate
		return &oauth2.Token{AccessToken: "shared", Expiry: time.Now().Add(time.Hour)}, nil
	}, time.Minute)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := ct.Authorization(context.Background())
			assert.NoError(t, err)
			assert.Equal(t, "Bearer shared", v)
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(gate)
	wg.Wait()
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, []string{"shared"}, ct.Secrets())
	assert.True(t, ct.Invalidate("Bearer other"))
	assert.Equal(t, []string{"shared"}, ct.Secrets(), "a different failed value keeps the cache")
	ct.Invalidate("Bearer shared")
	// Issue 14: a token dropped after a 401 may still be valid (and echoed by
	// answers to requests in flight): it stays redacted until it expires.
	assert.Equal(t, []string{"shared"}, ct.Secrets())
}

func TestCachedTokenEmptyAnswer(t *testing.T) {
	t.Parallel()
	ct := NewCachedToken(func(ctx context.Context) (*oauth2.Token, error) { return &oauth2.Token{}, nil }, 0)
	_, err := ct.Authorization(context.Background())
	require.ErrorContains(t, err, "without an access_token")
}

type countingSource struct {
	n   atomic.Int32
	err error
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	if s.err != nil {
		return nil, s.err
	}
	n := s.n.Add(1)
	return &oauth2.Token{AccessToken: fmt.Sprintf("user-%d", n), TokenType: "bearer"}, nil
}

func TestUserTokenSource401RetriedOnce(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := fakeserver.New(fakeserver.Config{
		Auth: fakeserver.CheckBearer(func(tok string) bool { return tok != "user-1" }),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			fakeserver.WriteJSON(w, 200, map[string]bool{"ok": true})
		}),
	})
	defer srv.Close()
	src := &countingSource{}
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Auth = NewTokenSourceAuth(src) })
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, int32(1), hits.Load())
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer user-1", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer user-2", reqs[1].Header.Get("Authorization"))
	assert.Equal(t, []string{"user-1", "user-2"}, cl.cfg.Auth.(Secreter).Secrets())

	bad := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = NewTokenSourceAuth(&countingSource{err: errors.New("no creds")})
	})
	_, err = bad.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Len(t, srv.Requests(), 2, "no request without a token")
}

func TestSecretsRedactedFromErrorBody(t *testing.T) {
	t.Parallel()
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fakeserver.WriteJSON(w, 401, map[string]string{"message": "token " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " is not valid"})
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = BearerToken("super-secret-token-1")
		c.NewError = func(info ErrorInfo, _ func(string) string) error {
			var b struct{ Message string }
			_ = json.Unmarshal(info.Body, &b)
			info.Message = b.Message
			return &info
		}
	})
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.NotContains(t, err.Error(), "super-secret-token-1")
	assert.NotContains(t, string(info.Body), "super-secret-token-1")
	assert.Contains(t, err.Error(), "token REDACTED is not valid")
}

func TestSecretsRedactedAfterJSONDecoding(t *testing.T) {
	t.Parallel()
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		// The token "ab/cd+ef==" written with an escaped slash.
		_, _ = w.Write([]byte(`{"message":"token ab\/cd+ef== expired"}`))
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = BearerToken("ab/cd+ef==")
		c.NewError = func(info ErrorInfo, _ func(string) string) error {
			var b struct{ Message string }
			_ = json.Unmarshal(info.Body, &b)
			info.Message = b.Message
			return &providerError{ErrorInfo: info}
		}
	})
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "ab/cd+ef==")
	assert.Contains(t, err.Error(), "token REDACTED expired")
}

// providerError mimics a provider's APIError: ErrorInfo embedded by value,
// and an As method like the providers have.
type providerError struct {
	ErrorInfo
	Extra string
}

// bareProviderError has no As method: the 401 refresh must still work.
type bareProviderError struct {
	ErrorInfo
}

func (e *providerError) As(target any) bool {
	if p, ok := target.(**ErrorInfo); ok {
		*p = &e.ErrorInfo
		return true
	}
	return false
}

func TestRefreshWorksWithProviderErrorTypes(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, time.Hour)
	cl := ccClient(t, ts, "client-secret-value", func(c *Config) {
		c.NewError = func(info ErrorInfo, _ func(string) string) error { return &bareProviderError{ErrorInfo: info} }
	})
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	ts.revoke()
	resp, err = cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err, "refreshed after the 401")
	assert.Equal(t, 2, resp.Attempts, "the 401 and the retry after the refresh")
	resp.Release()
	assert.Equal(t, int32(2), ts.issued.Load())
	ts.rejectAll.Store(true)
	_, err = cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var pe *bareProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 401, pe.StatusCode)
	assert.Equal(t, 2, pe.Attempts, "the request rejected before the refresh counts too")
	assert.Equal(t, int32(3), ts.issued.Load(), "exactly one refresh per call")
}
