package close_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

func TestNewClientOptions(t *testing.T) {
	t.Setenv("CLOSE_API_KEY", "")
	cases := []struct {
		name string
		opts []closeapi.Option
		want string
	}{
		{"no credentials", nil, "close: no credentials: use WithAPIKey or WithTokenSource, or set CLOSE_API_KEY"},
		{"empty key", []closeapi.Option{closeapi.WithAPIKey("")}, "close: WithAPIKey: key is empty"},
		// Issue 18: one credential rule everywhere; a key with a space is
		// refused rather than trimmed.
		{"blank key", []closeapi.Option{closeapi.WithAPIKey(" ")}, "close: WithAPIKey: key must not contain spaces or control characters"},
		{"key with tab", []closeapi.Option{closeapi.WithAPIKey("a\tb")}, "close: WithAPIKey: key must not contain spaces or control characters"},
		{"key with colon", []closeapi.Option{closeapi.WithAPIKey("a:b")}, "must not contain ':'"},
		{"nil token source", []closeapi.Option{closeapi.WithTokenSource(nil)}, "close: WithTokenSource: token source is nil"},
		{"both", []closeapi.Option{closeapi.WithAPIKey("k"), closeapi.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"}))}, "mutually exclusive"},
		{"http base", []closeapi.Option{closeapi.WithAPIKey("k"), closeapi.WithBaseURL("http://api.close.com/api/v1")}, "http"},
		{"bad retry", []closeapi.Option{closeapi.WithAPIKey("k"), closeapi.WithRetryPolicy(closeapi.RetryPolicy{MaxRetries: -1})}, "MaxRetries"},
		{"bad rate", []closeapi.Option{closeapi.WithAPIKey("k"), closeapi.WithRateLimit(0, 1)}, "perSecond"},
		{"nil http client", []closeapi.Option{closeapi.WithAPIKey("k"), closeapi.WithHTTPClient(nil)}, "nil"},
		{"bad user agent", []closeapi.Option{closeapi.WithAPIKey("k"), closeapi.WithUserAgent("a\nb")}, "line breaks"},
	}
	for _, tc := range cases {
		_, err := closeapi.NewClient(tc.opts...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := closeapi.NewClient(closeapi.WithAPIKey("k"), nil, closeapi.WithLogger(nil)); err != nil {
		t.Errorf("nil option and nil logger: %v", err)
	}
}

func TestAPIKeyFromEnv(t *testing.T) {
	srv := newFake(t)
	t.Setenv("CLOSE_API_KEY", " "+closetest.APIKey+" ")
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL+closetest.BasePath), closeapi.WithUserAgent("myapp/1.2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListActivityMetrics(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, _ := srv.LastRequest()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(closetest.APIKey+":"))
	if got := r.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization %q, want %q", got, want)
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "activity-go/") || !strings.HasSuffix(ua, " myapp/1.2") {
		t.Errorf("User-Agent %q", ua)
	}
	t.Setenv("CLOSE_API_KEY", "bad:key")
	if _, err := closeapi.NewClient(); err == nil || !strings.Contains(err.Error(), "close: CLOSE_API_KEY: key must not contain") || strings.Contains(err.Error(), "bad:key") {
		t.Errorf("err = %v", err)
	}
}

// countingSource hands out tokens in order.
// (the last one from then on), or fails once broken is set.
type countingSource struct {
	mu     sync.Mutex
	tokens []string
	n      int
	broken bool
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return nil, errors.New("source exhausted")
	}
	tok := s.tokens[min(s.n, len(s.tokens)-1)]
	s.n++
	return &oauth2.Token{AccessToken: tok, TokenType: "bearer"}, nil
}

func TestTokenSource(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	// The first token is stale: the 401 is retried once with the next one.
	src := &countingSource{tokens: []string{"stale-token-value", closetest.AccessToken}}
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL+closetest.BasePath), closeapi.WithTokenSource(src), closeapi.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListActivityMetrics(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Header.Get("Authorization") != "Bearer stale-token-value" || reqs[1].Header.Get("Authorization") != "Bearer "+closetest.AccessToken {
		t.Fatalf("requests: %d, auth %q", len(reqs), reqs[len(reqs)-1].Header.Get("Authorization"))
	}
	// A token echoed in an error body is redacted.
	srv.FailNext(closetest.Fault{Kind: closetest.Status, Status: 400, Body: `{"error": "bad token ` + closetest.AccessToken + `"}`})
	_, err = c.ListActivityMetrics(context.Background())
	var ae *closeapi.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if strings.Contains(err.Error(), closetest.AccessToken) || strings.Contains(string(ae.Body), closetest.AccessToken) ||
		ae.Message != "bad token REDACTED" {
		t.Errorf("err = %v body %s", err, ae.Body)
	}
	src.mu.Lock()
	src.broken = true
	src.mu.Unlock()
	// A failing source is a *RequestError, not an answer.
	_, err = c.ListActivityMetrics(context.Background())
	var re *closeapi.RequestError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "source exhausted") {
		t.Errorf("err = %v, want *RequestError from the token source", err)
	}
}

func TestCredentialsNeverLeak(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	const key = "api_wrong_0123456789abcdefSECRET"
	sink := &logSink{}
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL+closetest.BasePath), closeapi.WithAPIKey(key),
		closeapi.WithRetryPolicy(fastRetries), closeapi.WithLogger(slog.New(sink)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetActivityReport(context.Background(), anyReport)
	if !errors.Is(err, closeapi.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte(key + ":"))
	srv.FailNext(closetest.Fault{Kind: closetest.Status, Status: 503, Body: `{"error": "key ` + key + ` / ` + encoded + `"}`},
		closetest.Fault{Kind: closetest.Status, Status: 503, Body: `{"error": "key ` + key + `"}`},
		closetest.Fault{Kind: closetest.Status, Status: 503, Body: `{"error": "key ` + key + `"}`},
		closetest.Fault{Kind: closetest.Status, Status: 503, Body: `{"error": "key ` + key + ` / ` + encoded + `"}`})
	_, err2 := c.ListActivityMetrics(context.Background())
	var ae *closeapi.APIError
	if !errors.As(err2, &ae) {
		t.Fatalf("err = %v", err2)
	}
	all := err.Error() + err2.Error() + string(ae.Body) + fmt.Sprintf("%+v %v", ae, sink.recs)
	if strings.Contains(all, key) || strings.Contains(all, encoded) || !strings.Contains(string(ae.Body), "REDACTED") {
		t.Errorf("a credential leaked: %s", all)
	}
	if len(sink.records("activity-go: retry")) != 3 {
		t.Errorf("want 3 logged retries")
	}
}

func TestPathsStayUnderBase(t *testing.T) {
	t.Parallel()
	// The fake serves Close's paths under /api/v1 and (issue 18: srv.URL is
	// every fake's base URL) at its root. A client built on a base URL with
	// a path keeps every request below that path.
	srv := newFake(t)
	for base, prefix := range map[string]string{srv.URL + closetest.BasePath: "/api/v1/", srv.URL: "/"} {
		srv.ResetRequests()
		c, err := closeapi.NewClient(closeapi.WithBaseURL(base), closeapi.WithAPIKey(closetest.APIKey), closeapi.WithRetryPolicy(closeapi.NoRetries))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListActivityMetrics(context.Background()); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 || reqs[0].Path != prefix+"report/activity/metrics/" {
			t.Errorf("%s: requests %+v, want one to %sreport/activity/metrics/", base, reqs, prefix)
		}
	}
	// An answer without a RateLimit header (the fake's 401) reports no rate
	// limit. (Issue 18: the fake serves srv.URL, so a base URL without
	// Close's path no longer gets the 404 this test used to check, and a
	// wrong path would break the contract the package tests are held to.)
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL), closeapi.WithAPIKey("wrong-key-1234"), closeapi.WithRetryPolicy(closeapi.NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListActivityMetrics(context.Background()); !errors.Is(err, closeapi.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if _, ok := c.LastRateLimit(closeapi.GroupActivityMetrics); ok {
		t.Error("LastRateLimit reported a value with no RateLimit header seen")
	}
}
