package sdelements_test

import (
	"bytes"
	"errors"
	"github.com/activitysdk/activity-go/internal/contract"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

func TestNewClientRequiresTokenAndInstance(t *testing.T) {
	t.Setenv(sdelements.EnvToken, "")
	t.Setenv(sdelements.EnvBaseURL, "")

	_, err := sdelements.NewClient(sdelements.WithBaseURL("https://sde.example.com"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithToken")
	assert.Contains(t, err.Error(), "SDE_API_TOKEN")

	_, err = sdelements.NewClient(sdelements.WithToken("abcd1234"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithBaseURL")
	assert.Contains(t, err.Error(), "SDE_BASE_URL")
}

func TestNewClientFromEnvironment(t *testing.T) {
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(3))
	defer srv.Close()
	contract.Bind(t, srv.URL)
	t.Setenv(sdelements.EnvToken, sdelementstest.Token)
	t.Setenv(sdelements.EnvBaseURL, srv.URL+"/api/v2/")

	c, err := sdelements.NewClient()
	require.NoError(t, err)
	assert.Equal(t, srv.URL, c.BaseURL())
	a, err := c.GetActivity(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, int64(2), a.ID)
	r, _ := srv.LastRequest()
	assert.Equal(t, "/api/v2/activities/2/", r.RawPath)
	assert.Equal(t, "Token "+sdelementstest.Token, r.Header.Get("Authorization"))
}

func TestNewClientBadEnvironment(t *testing.T) {
	t.Setenv(sdelements.EnvToken, "has space")
	t.Setenv(sdelements.EnvBaseURL, "https://sde.example.com")
	_, err := sdelements.NewClient()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SDE_API_TOKEN")
	assert.NotContains(t, err.Error(), "has space")

	t.Setenv(sdelements.EnvToken, "abcd1234")
	t.Setenv(sdelements.EnvBaseURL, "http://sde.example.com")
	_, err = sdelements.NewClient()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SDE_BASE_URL")
	assert.Contains(t, err.Error(), "https")
}

func TestNewClientOptionErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]sdelements.Option{
		"empty token":     sdelements.WithToken(""),
		"token newline":   sdelements.WithToken("abc\r\nX-Evil: 1"),
		"token space":     sdelements.WithToken("Token abc"),
		"not https":       sdelements.WithBaseURL("http://sde.example.com"),
		"relative url":    sdelements.WithBaseURL("sde.example.com"),
		"url with query":  sdelements.WithBaseURL("https://sde.example.com/?x=1"),
		"nil http client": sdelements.WithHTTPClient(nil),
		"bad retry":       sdelements.WithRetryPolicy(sdelements.RetryPolicy{MaxRetries: -1}),
		"bad rate":        sdelements.WithRateLimit(0, 1),
		"bad read-ahead":  sdelements.WithReadAhead(17),
		"bad user agent":  sdelements.WithUserAgent("a\nb"),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := sdelements.NewClient(sdelements.WithBaseURL("https://sde.example.com"), sdelements.WithToken("abcd1234"), opt)
			assert.Error(t, err)
			assert.Nil(t, c)
			if err != nil {
				assert.True(t, strings.HasPrefix(err.Error(), "sdelements: "), err.Error())
				assert.NotContains(t, err.Error(), "sdelements: sdelements")
				assert.NotContains(t, err.Error(), "Evil")
			}
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"https://sde.example.com":             "https://sde.example.com",
		"https://sde.example.com/":            "https://sde.example.com",
		"https://sde.example.com/api/v2":      "https://sde.example.com",
		"https://sde.example.com/api/v2/":     "https://sde.example.com",
		"https://sde.example.com/API/V2":      "https://sde.example.com",
		"https://sde.example.com/sde":         "https://sde.example.com/sde",
		"https://sde.example.com/sde/api/v2/": "https://sde.example.com/sde",
		"https://sde.example.com/api":         "https://sde.example.com/api",
	}
	for in, want := range cases {
		c, err := sdelements.NewClient(sdelements.WithBaseURL(in), sdelements.WithToken("abcd1234"))
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
}

func TestPathPrefixAndSuffixNotDoubled(t *testing.T) {
	t.Parallel()
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(5), sdelementstest.WithPathPrefix("/sde"))
	contract.Bind(t, srv.URL)
	defer srv.Close()
	for _, base := range []string{srv.URL + "/sde", srv.URL + "/sde/api/v2"} {
		c, err := sdelements.NewClient(sdelements.WithBaseURL(base), sdelements.WithToken(sdelementstest.Token))
		require.NoError(t, err)
		got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 2}))
		assert.Equal(t, descending(5, 1), got, base)
	}
	for _, r := range srv.Requests() {
		assert.Equal(t, "/sde/api/v2/activities/", r.RawPath)
	}
	assert.Len(t, srv.Requests(), 6)
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, nil, sdelements.WithUserAgent("myapp/1.2"))
	_, err := c.GetActivity(ctx, 1)
	require.NoError(t, err)
	r, ok := srv.LastRequest()
	require.True(t, ok)
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "Token "+sdelementstest.Token, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "activity-go/"), r.Header.Get("User-Agent"))
	assert.True(t, strings.HasSuffix(r.Header.Get("User-Agent"), " myapp/1.2"), r.Header.Get("User-Agent"))
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-token-value-42"
	var logs bytes.Buffer
	srv := sdelementstest.NewServer()
	defer srv.Close()
	contract.Bind(t, srv.URL)
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(secret),
		sdelements.WithRetryPolicy(fastRetries),
		sdelements.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	// The fake echoes nothing, so inject an error body that does.
	srv.FailNext(sdelementstest.Fault{Kind: sdelementstest.Status, Status: 400, Body: `{"detail":"bad token ` + secret + `"}`},
		sdelementstest.Fault503)
	_, err = c.GetActivity(ctx, 1)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	var apiErr *sdelements.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.NotContains(t, string(apiErr.Body), secret)
	assert.NotContains(t, apiErr.Detail, secret)

	_, err = c.GetActivity(ctx, 1) // 503, retried, then 401 (wrong token)
	require.Error(t, err)
	assert.True(t, errors.Is(err, sdelements.ErrUnauthorized))
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, logs.String(), secret)
	assert.Contains(t, logs.String(), "retry")
}
