package activtrak_test

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

func TestNewClientNeedsAKey(t *testing.T) {
	t.Setenv(activtrak.EnvAPIKey, "")
	_, err := activtrak.NewClient()
	require.Error(t, err)
	assert.Equal(t, "activtrak: no credentials: use WithAPIKey or set ACTIVTRAK_API_KEY", err.Error())

	_, err = activtrak.NewClient(activtrak.WithAPIKey(""))
	assert.EqualError(t, err, "activtrak: WithAPIKey: key is empty")
}

func TestNewClientReadsTheEnvironment(t *testing.T) {
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess(), activtraktest.WithAPIKey("env-key-1234"))
	defer srv.Close()
	t.Setenv(activtrak.EnvAPIKey, "env-key-1234")
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithEarlyAccess())
	require.NoError(t, err)
	_, err = c.ListActivityLog(t.Context(), nil).Collect()
	require.NoError(t, err)
	assert.Equal(t, "Bearer env-key-1234", srv.Requests()[0].Header.Get("Authorization"))

	// The public contract (the default): the same key in x-api-key.
	pub := activtraktest.NewServer(activtraktest.WithAPIKey("env-key-1234"))
	defer pub.Close()
	c, err = activtrak.NewClient(activtrak.WithBaseURL(pub.URL))
	require.NoError(t, err)
	_, err = c.ListActivityLog(t.Context(), nil).Collect()
	require.NoError(t, err)
	assert.Equal(t, "env-key-1234", pub.Requests()[0].Header.Get("x-api-key"))
	assert.Empty(t, pub.Requests()[0].Header.Get("Authorization"))
}

func TestRegionsSelectTheHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts []activtrak.Option
		host string
	}{
		{nil, "https://api.activtrak.com"},
		{[]activtrak.Option{activtrak.WithRegion(activtrak.RegionUS)}, "https://api.activtrak.com"},
		{[]activtrak.Option{activtrak.WithRegion(activtrak.RegionEU)}, "https://api-eu.activtrak.com"},
		{[]activtrak.Option{activtrak.WithRegion(activtrak.RegionUK)}, "https://api-uk.activtrak.com"},
		{[]activtrak.Option{activtrak.WithRegion(activtrak.RegionCA)}, "https://api-ca.activtrak.com"},
		{[]activtrak.Option{activtrak.WithRegion(activtrak.RegionAU)}, "https://api-au.activtrak.com"},
		// Issue 18: region names match in any case, as in workiva.
		{[]activtrak.Option{activtrak.WithRegion("eu")}, "https://api-eu.activtrak.com"},
	} {
		t.Run(tc.host, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder(http.MethodGet, tc.host+"/reports/v2/activitylog",
				httpmock.NewStringResponder(200, `{"activity":[],"cursor":"c1"}`))
			opts := append([]activtrak.Option{activtrak.WithAPIKey("k-123"), activtrak.WithHTTPClient(&http.Client{Transport: mock})}, tc.opts...)
			c, err := activtrak.NewClient(opts...)
			require.NoError(t, err)
			items, err := c.ListActivityLog(t.Context(), nil).Collect()
			require.NoError(t, err)
			assert.Empty(t, items)
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
	assert.Equal(t, "", activtrak.Region("mars").BaseURL())
	assert.Equal(t, "https://api-uk.activtrak.com", activtrak.Region("uk").BaseURL())
	// Issue 18: WithRegion and WithBaseURL together are an error in either
	// order (the later one used to win, hiding the mistake).
	for _, opts := range [][]activtrak.Option{
		{activtrak.WithBaseURL("https://proxy.example"), activtrak.WithRegion(activtrak.RegionEU)},
		{activtrak.WithRegion(activtrak.RegionEU), activtrak.WithBaseURL("https://proxy.example")},
	} {
		_, err := activtrak.NewClient(append(opts, activtrak.WithAPIKey("k-123"))...)
		require.EqualError(t, err, "activtrak: use either WithBaseURL or WithRegion, not both")
	}
}

func TestNewClientRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opt  activtrak.Option
		want string
	}{
		{activtrak.WithRegion("mars"), `activtrak: WithRegion: unknown region "mars" (want one of AU, CA, EU, UK, US, in any case)`},
		{activtrak.WithBaseURL("http://example.com"), "http:// is only allowed for loopback hosts"},
		{activtrak.WithReadAhead(17), "WithReadAhead: pages must be between 0 and 16 (got 17)"},
		{activtrak.WithRateLimit(0, 1), "WithRateLimit"},
		{activtrak.WithHTTPClient(nil), "WithHTTPClient"},
		{activtrak.WithUserAgent("a\nb"), "WithUserAgent"},
		{activtrak.WithRetryPolicy(activtrak.RetryPolicy{MaxRetries: -1}), "WithRetryPolicy"},
	} {
		_, err := activtrak.NewClient(activtrak.WithAPIKey("k-123"), tc.opt)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
	c, err := activtrak.NewClient(activtrak.WithAPIKey("k-123"), nil, activtrak.WithLogger(nil), activtrak.WithRateLimit(100, 1))
	require.NoError(t, err)
	assert.NotNil(t, c)
}

func TestAPIKeyWithControlCharactersRefused(t *testing.T) {
	_, err := activtrak.NewClient(activtrak.WithAPIKey("key\r\nX-Evil: 1"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "activtrak: WithAPIKey: key must not contain spaces or control characters")
	assert.NotContains(t, err.Error(), "X-Evil")
	t.Setenv("ACTIVTRAK_API_KEY", "key with space")
	_, err = activtrak.NewClient()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "activtrak: ACTIVTRAK_API_KEY: key must not contain")
}
