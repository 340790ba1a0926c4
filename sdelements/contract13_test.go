package sdelements_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// TestPageSizeNoCap: any positive PageSize goes on the wire as given (10000,
// as the vendor's tooling asks); 0 sends 100; the walk is the same list.
func TestPageSizeNoCap(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(2500)})
	got := ids(t, c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 10000}))
	assert.Equal(t, descending(2500, 1), got)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "page_size=10000", reqs[0].RawQuery)

	// A size above the old 1000 cap against an instance that clamps to 1000:
	// the next links are followed, nothing lost or repeated.
	srv2, c2 := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(2500), sdelementstest.WithPageSizes(25, 1000)})
	got = ids(t, c2.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 1500}))
	assert.Equal(t, descending(2500, 1), got)
	var queries []string
	for _, r := range srv2.Requests() {
		queries = append(queries, r.RawQuery)
	}
	assert.Equal(t, []string{"page_size=1500", "page=2&page_size=1500", "page=3&page_size=1500"}, queries)

	srv3, c3 := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(5)})
	assert.Len(t, ids(t, c3.ListActivities(ctx, nil)), 5)
	r, _ := srv3.LastRequest()
	assert.Equal(t, "page_size=100", r.RawQuery)
}

// TestIncludeExcludeExpandWire: the lists go on the wire as one
// comma-separated value each, stay in the next links, and the answer's
// extra members and expanded actor are decoded.
func TestIncludeExcludeExpandWire(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(30)})
	p := &sdelements.ListActivitiesParams{PageSize: 10, Include: []string{"actor_email", "project.members"},
		Exclude: []string{"icon", "data"}, Expand: []string{"actor"}}
	var acts []sdelements.Activity
	for a, err := range c.ListActivities(ctx, p).All() {
		require.NoError(t, err)
		acts = append(acts, a)
	}
	require.Len(t, acts, 30)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "exclude=icon%2Cdata&expand=actor&include=actor_email%2Cproject.members&page_size=10", reqs[0].RawQuery)
	assert.Equal(t, []string{"icon,data"}, reqs[0].Query["exclude"])
	assert.Equal(t, []string{"actor_email,project.members"}, reqs[0].Query["include"])
	assert.Equal(t, []string{"actor"}, reqs[0].Query["expand"])
	for _, r := range reqs[1:] {
		assert.Equal(t, []string{"icon,data"}, r.Query["exclude"], r.RawQuery)
		assert.Equal(t, []string{"actor"}, r.Query["expand"], r.RawQuery)
	}
	withActor := 0
	for _, a := range acts {
		want, _ := srv.Activity(a.ID)
		assert.Empty(t, a.Icon, "icon excluded")
		assert.Nil(t, a.Data, "data excluded")
		assert.Equal(t, want.Name, a.Name)
		if want.Actor == nil {
			assert.Nil(t, a.Actor)
			assert.Nil(t, a.Extra, "nothing extra without an expanded actor")
			continue
		}
		withActor++
		require.NotNil(t, a.Actor, a.ID)
		assert.Equal(t, *want.Actor, *a.Actor, "expanded actor keeps its id")
		var obj struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		}
		require.NoError(t, json.Unmarshal(a.Extra["actor"], &obj))
		assert.Equal(t, *want.Actor, obj.ID)
		assert.NotEmpty(t, obj.Email)
		assert.Len(t, a.Extra, 1, "only the expanded actor is extra")
	}
	assert.Positive(t, withActor)

	// Without Include or Expand nothing is extra.
	for a, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 5}).All() {
		require.NoError(t, err)
		assert.Nil(t, a.Extra)
		break
	}
}

// TestExtraFromBareList: extras are read from a bare list answer too, and an
// instance that sends an object actor without being asked still decodes.
func TestExtraFromBareList(t *testing.T) {
	t.Parallel()
	var got []string
	c := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RawQuery)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id": 9, "name": "LoggedInActivity", "actor": {"id": 4, "email": "x@example.com"},
			"text": "t", "date": "2026-01-02T03:04:05.123456Z", "data": {}, "icon": "user", "log_level": "", "tasks": [1, 2]}]`))
	})
	var acts []sdelements.Activity
	for a, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{Include: []string{"tasks"}}).All() {
		require.NoError(t, err)
		acts = append(acts, a)
	}
	require.Len(t, acts, 1)
	assert.Equal(t, []string{"include=tasks&page_size=100"}, got)
	require.NotNil(t, acts[0].Actor)
	assert.Equal(t, int64(4), *acts[0].Actor)
	assert.JSONEq(t, "[1,2]", string(acts[0].Extra["tasks"]))
	assert.JSONEq(t, `{"id": 4, "email": "x@example.com"}`, string(acts[0].Extra["actor"]))

	// A bad actor is a decoding error, not a zero.
	c = handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"results": [{"id": 1, "actor": "seven"}]}`))
	})
	_, err := c.ListActivities(ctx, nil).Collect()
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "actor"), err)
}

// TestGetActivityInt64: GetActivity takes the same int64 as Activity.ID,
// including ids beyond 32 bits, on the wire as decimal.
func TestGetActivityInt64(t *testing.T) {
	t.Parallel()
	var path string
	c := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.EscapedPath()
		_, _ = w.Write([]byte(`{"id": 5000000000, "name": "LoggedInActivity", "actor": null, "date": "2026-01-02T03:04:05Z"}`))
	})
	var id int64 = 5_000_000_000
	a, err := c.GetActivity(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "/api/v2/activities/5000000000/", path)
	assert.Equal(t, id, a.ID)
	assert.Nil(t, a.Actor)
}
