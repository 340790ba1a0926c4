package benchmarks

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/workiva"
)

// The raw loops are honest baselines only if they read exactly what the SDK
// reads: the same items, in the same order, decoded to the same values.

func TestRawWorkivaLoopReadsWhatTheSDKReads(t *testing.T) {
	t.Parallel()
	w := newWorkivaBench(t, 2500, false)
	var sdk, raw []workiva.Activity
	require.NoError(t, w.walkSDK(context.Background(), func(a workiva.Activity) { sdk = append(sdk, a) }))
	require.NoError(t, w.walkRaw(context.Background(), func(a workiva.Activity) { raw = append(raw, a) }))
	require.Len(t, sdk, 2500)
	assert.Equal(t, sdk, raw)
	assert.NotEmpty(t, sdk[0].Performer.IPAddress)
	// Both paged the same way: 3 pages each, plus one token request.
	var queries []string
	for _, r := range w.srv.Requests() {
		if r.Path != "/oauth2/token" {
			queries = append(queries, r.RawQuery)
		}
	}
	require.Len(t, queries, 6)
	assert.Equal(t, queries[:3], queries[3:])
}

func TestRawActivTrakLoopReadsWhatTheSDKReads(t *testing.T) {
	t.Parallel()
	a := newActivTrakBench(t, 2500, false)
	var sdk, raw []activtrak.ActivityLogEntry
	require.NoError(t, a.walkSDK(context.Background(), func(e activtrak.ActivityLogEntry) { sdk = append(sdk, e) }))
	require.NoError(t, a.walkRaw(context.Background(), func(e activtrak.ActivityLogEntry) { raw = append(raw, e) }))
	require.Len(t, sdk, 2500)
	assert.Equal(t, sdk, raw)
	assert.False(t, sdk[0].Time.IsZero()) // Time: the public contract has no "date" (issue 13)
	// Both paged the same way: 3 full pages and the empty one that ends the walk.
	reqs := a.srv.Requests()
	require.Len(t, reqs, 8)
	for i := range 4 {
		assert.Equal(t, reqs[i].Query, reqs[i+4].Query, "request %d", i)
	}
}

// Through the replay, the walks read the same items as from the fake.
func TestReplayServesTheFakesPages(t *testing.T) {
	t.Parallel()
	w := newWorkivaBench(t, 2500, true)
	for range 2 { // the second walk is served from memory
		var sdk, raw tally
		require.NoError(t, w.walkSDK(context.Background(), sdk.activity))
		require.NoError(t, w.walkRaw(context.Background(), raw.activity))
		assert.Equal(t, 2500, sdk.n)
		assert.Equal(t, sdk, raw)
	}
	a := newActivTrakBench(t, 2500, true)
	for range 2 {
		var sdk, raw tally
		require.NoError(t, a.walkSDK(context.Background(), sdk.logEntry))
		require.NoError(t, a.walkRaw(context.Background(), raw.logEntry))
		assert.Equal(t, 2500, sdk.n)
		assert.Equal(t, sdk, raw)
	}
	// The fake saw each page once (3 pages + 1 empty), not once per walk.
	assert.Len(t, a.srv.Requests(), 4)
}
