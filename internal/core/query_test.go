package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueryFromTaggedStruct(t *testing.T) {
	t.Parallel()
	type wire struct {
		Filter   string    `url:"$filter,omitempty"`
		Max      int       `url:"$maxpagesize,omitempty"`
		From     time.Time `url:"from,omitempty" layout:"2006-01-02"`
		UserID   int64     `url:"userId,omitempty"`
		Required string    `url:"granularity"`
	}
	q, err := Query(wire{Filter: "a eq 'b'", Max: 50, From: time.Date(2026, 5, 10, 23, 0, 0, 0, time.UTC), Required: "daily"})
	require.NoError(t, err)
	assert.Equal(t, "$filter=a+eq+%27b%27&$maxpagesize=50&from=2026-05-10&granularity=daily", EncodeQuery(q))
	q, err = Query(wire{})
	require.NoError(t, err)
	assert.Equal(t, "granularity=", EncodeQuery(q))
	_, err = Query(42)
	assert.Error(t, err)
}
