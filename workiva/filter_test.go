package workiva_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/activitysdk/activity-go/workiva"
)

func TestFilterBuilder(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 30, 13, 55, 1, 0, time.FixedZone("CET", 3600))
	cases := []struct {
		f    workiva.Filter
		want string
	}{
		{workiva.ActionAlias("user_login"), "action.alias eq 'user_login'"},
		{workiva.ActionAliasIn("a", "b"), "action.alias in ('a', 'b')"},
		{workiva.ActionID("com.x"), "action.id eq 'com.x'"},
		{workiva.ActionIDIn("x"), "action.id in ('x')"},
		{workiva.PerformerID("O'Brien"), "performer.id eq 'O''Brien'"},
		{workiva.PerformerIDIn("p1", "p2"), "performer.id in ('p1', 'p2')"},
		{workiva.TargetID("t"), "target.id eq 't'"},
		{workiva.TargetIDIn("t1", "t2"), "target.id in ('t1', 't2')"},
		{workiva.ActivityDateTime(workiva.OpGe, t0), "activityDateTime ge 2026-01-30T12:55:01Z"},
		{workiva.ActivityDateTime(workiva.OpLt, t0.Add(5*time.Millisecond)), "activityDateTime lt 2026-01-30T12:55:01.005Z"},
		{workiva.And(workiva.ActionAlias("a"), workiva.TargetID("t")), "action.alias eq 'a' and target.id eq 't'"},
		{workiva.Or(workiva.ActionAlias("a"), workiva.And(workiva.TargetID("t"), workiva.PerformerID("p"))),
			"action.alias eq 'a' or target.id eq 't' and performer.id eq 'p'"},
		{workiva.And(workiva.Or(workiva.ActionAlias("a"), workiva.ActionAlias("b")), workiva.TargetID("t")),
			"(action.alias eq 'a' or action.alias eq 'b') and target.id eq 't'"},
		{workiva.ActionAlias("a").Or(workiva.ActionAlias("b")).And(workiva.TargetID("t")),
			"(action.alias eq 'a' or action.alias eq 'b') and target.id eq 't'"},
		{workiva.And(workiva.Filter{}, workiva.Or(workiva.ActionAlias("a"), workiva.ActionAlias("b"))),
			"action.alias eq 'a' or action.alias eq 'b'"},
		{workiva.And(workiva.Filter{}, workiva.Or(workiva.ActionAlias("a"), workiva.ActionAlias("b"))).And(workiva.TargetID("t")),
			"(action.alias eq 'a' or action.alias eq 'b') and target.id eq 't'"},
		{workiva.Between(t0, t0.Add(time.Hour)), "activityDateTime ge 2026-01-30T12:55:01Z and activityDateTime lt 2026-01-30T13:55:01Z"},
		{workiva.And(), ""},
		{workiva.Or(workiva.Filter{}), ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.f.String())
		assert.NoError(t, tc.f.Err(), tc.want)
	}
	assert.True(t, workiva.And().IsZero())
	assert.False(t, workiva.ActionAlias("a").IsZero())
}

func TestFilterBuilderMisuse(t *testing.T) {
	t.Parallel()
	assert.EqualError(t, workiva.ActionAliasIn().Err(), "workiva: Filter: action.alias in: no values")
	assert.EqualError(t, workiva.ActivityDateTime(workiva.OpGe, time.Time{}).Err(), "workiva: Filter: ActivityDateTime: time is zero")
	assert.ErrorContains(t, workiva.ActivityDateTime("ne", time.Now()).Err(), `unknown operator "ne"`)
	f := workiva.And(workiva.ActionAlias("a"), workiva.TargetIDIn())
	assert.Error(t, f.Err(), "errors propagate through And/Or")
	// Issue 15: the string of a misused builder carries its error (it used
	// to be the well-formed part only, which a walk then ran unfiltered).
	assert.Equal(t, "action.alias eq 'a'", f.Expr())
	assert.Equal(t, "\x00invalid filter: workiva: Filter: target.id in: no values", f.String())
	assert.False(t, f.IsZero())
	assert.EqualError(t, workiva.Between(time.Unix(100, 0), time.Unix(100, 0)).Err(),
		"workiva: Filter: Between: the end 1970-01-01T00:01:40Z is not after the start 1970-01-01T00:01:40Z")
	assert.Error(t, workiva.Between(time.Unix(200, 0), time.Unix(100, 0)).Err())
}
