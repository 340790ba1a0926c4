package workiva_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// Tests that use t.Setenv cannot run in parallel.

func TestNewClientCredentialsFromEnvironment(t *testing.T) {
	srv := workivatest.NewServer()
	defer srv.Close()
	t.Setenv("WORKIVA_CLIENT_ID", workivatest.ClientID)
	t.Setenv("WORKIVA_CLIENT_SECRET", workivatest.ClientSecret)
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(5))
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokensIssued())
}

func TestNewClientErrors(t *testing.T) {
	t.Setenv("WORKIVA_CLIENT_ID", "")
	t.Setenv("WORKIVA_CLIENT_SECRET", "")
	creds := workiva.WithClientCredentials("id", "secret-value")
	ts := workiva.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"}))
	cases := map[string]struct {
		opts []workiva.Option
		want string
	}{
		"no credentials":   {nil, "workiva: no credentials: use WithClientCredentials or WithTokenSource, or set WORKIVA_CLIENT_ID and WORKIVA_CLIENT_SECRET"},
		"both credentials": {[]workiva.Option{creds, ts}, "not both"},
		"region and base":  {[]workiva.Option{creds, workiva.WithRegion(workiva.RegionEU), workiva.WithBaseURL("https://x.example")}, "WithBaseURL or WithRegion"},
		"unknown region":   {[]workiva.Option{creds, workiva.WithRegion("MARS")}, `unknown region "MARS"`},
		"empty id":         {[]workiva.Option{workiva.WithClientCredentials("", "s")}, "client id is empty"},
		// Issue 18: one credential rule in every package, option and
		// environment alike.
		"blank id":             {[]workiva.Option{workiva.WithClientCredentials(" ", "s")}, "client id must not contain spaces or control characters"},
		"secret with tab":      {[]workiva.Option{workiva.WithClientCredentials("id", "a\tb")}, "client secret must not contain spaces or control characters"},
		"empty secret":         {[]workiva.Option{workiva.WithClientCredentials("id", "")}, "client secret is empty"},
		"nil source":           {[]workiva.Option{workiva.WithTokenSource(nil)}, "token source is nil"},
		"http token url":       {[]workiva.Option{creds, workiva.WithTokenURL("http://auth.example/oauth2/token")}, "only allowed for loopback"},
		"relative token url":   {[]workiva.Option{creds, workiva.WithTokenURL("/oauth2/token")}, "absolute https URL"},
		"token url with user":  {[]workiva.Option{creds, workiva.WithTokenURL("https://u:p@auth.example/t")}, "user info"},
		"token url fragment":   {[]workiva.Option{creds, workiva.WithTokenURL("https://auth.example/t#x")}, "fragment"},
		"bad scope":            {[]workiva.Option{creds, workiva.WithScopes("a b")}, "invalid scope"},
		"http base url":        {[]workiva.Option{creds, workiva.WithBaseURL("http://api.example")}, "loopback"},
		"bad read ahead":       {[]workiva.Option{creds, workiva.WithReadAhead(99)}, "WithReadAhead"},
		"bad retry policy":     {[]workiva.Option{creds, workiva.WithRetryPolicy(workiva.RetryPolicy{MaxRetries: -1})}, "MaxRetries"},
		"nil http client":      {[]workiva.Option{creds, workiva.WithHTTPClient(nil)}, "nil"},
		"bad rate limit":       {[]workiva.Option{creds, workiva.WithRateLimit(0, 1)}, "perSecond"},
		"user agent linebreak": {[]workiva.Option{creds, workiva.WithUserAgent("a\nb")}, "line breaks"},
	}
	for name, tc := range cases {
		_, err := workiva.NewClient(tc.opts...)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
		assert.NotContains(t, err.Error(), "secret-value", name)
	}

	t.Setenv("WORKIVA_CLIENT_ID", "only-id")
	_, err := workiva.NewClient()
	assert.EqualError(t, err, "workiva: WORKIVA_CLIENT_ID is set but WORKIVA_CLIENT_SECRET is empty")
	t.Setenv("WORKIVA_CLIENT_ID", "")
	t.Setenv("WORKIVA_CLIENT_SECRET", "only-secret")
	_, err = workiva.NewClient()
	assert.EqualError(t, err, "workiva: WORKIVA_CLIENT_SECRET is set but WORKIVA_CLIENT_ID is empty")
}

func TestNewClientGoodOptions(t *testing.T) {
	t.Parallel()
	c, err := workiva.NewClient(nil, workiva.WithClientCredentials("id", "secret"), workiva.WithRegion(workiva.RegionAPAC),
		workiva.WithHTTPClient(&http.Client{}), workiva.WithUserAgent("my-app/1.0"), workiva.WithLogger(nil),
		workiva.WithRateLimit(50, 5), workiva.WithReadAhead(2), workiva.WithScopes("activity:read"),
		workiva.WithTokenURL("https://api.apac.wdesk.com/oauth2/token"))
	require.NoError(t, err)
	require.NotNil(t, c)
}

func TestRegions(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "https://api.app.wdesk.com", workiva.RegionUS.BaseURL())
	assert.Equal(t, "https://api.eu.wdesk.com", workiva.RegionEU.BaseURL())
	assert.Equal(t, "https://api.apac.wdesk.com", workiva.RegionAPAC.BaseURL())
	assert.Equal(t, "https://api.eu.wdesk.com", workiva.Region("eu").BaseURL())
	assert.Empty(t, workiva.Region("MARS").BaseURL())
}

func TestUserAgentAndRateLimit(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithUserAgent("my-app/1.0"), workiva.WithRateLimit(1000, 10))
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(0))
	require.NoError(t, err)
	assert.Contains(t, srv.Requests()[0].Header.Get("User-Agent"), "my-app/1.0")
}
