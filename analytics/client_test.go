package analytics_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

func TestNewClientNoCredentials(t *testing.T) {
	t.Setenv("ANALYTICS_API_TOKEN", "")
	_, err := analytics.NewClient()
	require.Error(t, err)
	assert.Equal(t, "analytics: no credentials: use WithToken or set ANALYTICS_API_TOKEN", err.Error())
}

func TestNewClientFromEnvironment(t *testing.T) {
	srv := analyticstest.NewServer()
	defer srv.Close()
	t.Setenv("ANALYTICS_API_TOKEN", analyticstest.Token)
	t.Setenv("ANALYTICS_BASE_URL", srv.URL+analyticstest.BasePath)
	c, err := analytics.NewClient(analytics.WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	_, err = c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, activityPath, r.RawPath)
	assert.Equal(t, "Bearer "+analyticstest.Token, r.Header.Get("Authorization"))
}

func TestNewClientOptionBeatsEnvironment(t *testing.T) {
	srv := analyticstest.NewServer(analyticstest.WithToken("from-option"))
	defer srv.Close()
	t.Setenv("ANALYTICS_API_TOKEN", "from-env")
	t.Setenv("ANALYTICS_BASE_URL", "https://example.invalid/v2")
	c, err := analytics.NewClient(analytics.WithToken("from-option"), analytics.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	require.NoError(t, err, "the fake also serves the API at its root")
	r, _ := srv.LastRequest()
	assert.Equal(t, "/clients/"+analyticstest.ClientID+"/analytics/users/"+analyticstest.UserID+"/activity", r.RawPath)
	assert.Equal(t, "Bearer from-option", r.Header.Get("Authorization"))
}

func TestNewClientBadEnvironmentBaseURL(t *testing.T) {
	t.Setenv("ANALYTICS_BASE_URL", "http://api.example.com/v2")
	_, err := analytics.NewClient(analytics.WithToken("t0ken"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "analytics: ANALYTICS_BASE_URL: ")
	assert.NotContains(t, err.Error(), "WithBaseURL", "the bad value came from the variable, not the option")
}

func TestNewClientInvalidOptions(t *testing.T) {
	t.Setenv("ANALYTICS_BASE_URL", "")
	for _, tc := range []struct {
		opt analytics.Option
		msg string
	}{
		{analytics.WithToken(""), "analytics: WithToken: token is empty"},
		{analytics.WithBaseURL("http://api.example.com/v2"), "analytics: WithBaseURL: base URL \"http://api.example.com/v2\": http:// is only allowed for loopback hosts; use https"},
		{analytics.WithBaseURL("::"), "analytics: WithBaseURL: base URL \"::\" does not parse"},
		{analytics.WithHTTPClient(nil), "analytics: WithHTTPClient: client is nil"},
		{analytics.WithRateLimit(-1, 1), "analytics: WithRateLimit: perSecond must be a positive number (got -1)"},
		{analytics.WithRetryPolicy(analytics.RetryPolicy{MaxRetries: -1}), "analytics: WithRetryPolicy: "},
		{analytics.WithUserAgent("a\nb"), "analytics: WithUserAgent: value must not contain line breaks"},
	} {
		_, err := analytics.NewClient(analytics.WithToken("t0ken"), tc.opt)
		require.Error(t, err, tc.msg)
		assert.Contains(t, err.Error(), tc.msg)
	}
	_, err := analytics.NewClient(analytics.WithToken("t0ken"), nil,
		analytics.WithLogger(nil), analytics.WithUserAgent("app/1"), analytics.WithRateLimit(100, 10))
	assert.NoError(t, err, "nil option and nil logger are allowed")
}

func TestClientUserAgentAndRateLimit(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL+analyticstest.BasePath),
		analytics.WithUserAgent("myapp/2.0"), analytics.WithRateLimit(1000, 1), analytics.WithHTTPClient(&http.Client{}))
	require.NoError(t, err)
	_, err = c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 12, 31)})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 5)
	for _, r := range reqs {
		assert.Regexp(t, `^activity-go/\S+ myapp/2\.0$`, r.Header.Get("User-Agent"))
	}
}

func TestModelMarshalZeroDates(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(analytics.ActivityTimeSeries{Data: []analytics.DataPoint{{Value: 1.5}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"metric":"","label":"","period":{"start":"","end":""},"data":[{"date":"","value":1.5}]}`, string(b))
	var back analytics.ActivityTimeSeries
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Period.Start.IsZero())
	assert.True(t, back.Data[0].Date.IsZero())
}

func TestTokenWithControlCharactersRefused(t *testing.T) {
	for _, bad := range []string{"tok\nen", "tok en", "tok\x7f"} {
		_, err := analytics.NewClient(analytics.WithToken(bad))
		if err == nil || !strings.Contains(err.Error(), "analytics: WithToken: token must not contain spaces or control characters") {
			t.Fatalf("WithToken(%q): %v", bad, err)
		}
		if strings.Contains(err.Error(), bad) {
			t.Fatalf("the token is echoed: %v", err)
		}
		t.Setenv("ANALYTICS_API_TOKEN", bad)
		_, err = analytics.NewClient()
		if err == nil || !strings.Contains(err.Error(), "analytics: ANALYTICS_API_TOKEN: token must not contain") {
			t.Fatalf("env %q: %v", bad, err)
		}
	}
}
