package workiva

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Filter is a $filter expression built from typed parts, for
// ListActivitiesParams.Filter:
//
//	f := workiva.And(
//		workiva.ActionAliasIn("user_login", "user_logout"),
//		workiva.ActivityDateTime(workiva.OpGe, since),
//	)
//	params := &workiva.ListActivitiesParams{Filter: f.String()}
//
// A misused builder cannot be dropped silently: an In with no values, a zero
// time, an unknown operator or a Between whose end is not after its start
// makes the whole Filter invalid. Err reports why, and String then returns
// a text that starts with invalidFilterMark (a NUL byte) and carries the
// error: given as ListActivitiesParams.Filter, the walk yields it as a
// *ValidationError on the first iteration, and nothing is sent.
//
// The grammar is Workiva's documented one: action.alias, action.id,
// performer.id and target.id with eq and in; activityDateTime with eq, lt, gt,
// le and ge; joined by and/or ("and" binds tighter; parentheses are added
// only where an "or" sits inside an "and"). Strings are single-quoted with
// ' doubled; times are RFC 3339 in UTC, unquoted.
//
// A builder misuse (an in with no values, a zero time, an unknown operator,
// a reversed Between) is reported by Err and reaches the walk (see above).
type Filter struct {
	expr string
	or   bool // an "or" chain at the top: parenthesize inside "and"
	err  error
}

// Op is a comparison operator for ActivityDateTime.
type Op string

// The activityDateTime comparisons.
const (
	OpEq Op = "eq" // equal
	OpLt Op = "lt" // before
	OpGt Op = "gt" // after
	OpLe Op = "le" // at or before
	OpGe Op = "ge" // at or after
)

// invalidFilterMark starts the String of a Filter whose Err is not nil. A
// NUL byte can never be part of a $filter, so such a text is never sent.
const invalidFilterMark = "\x00invalid filter: "

// String returns the expression, "" for an empty Filter. For a misused
// builder (Err not nil) it returns invalidFilterMark and the error's text,
// which a walk given it as ListActivitiesParams.Filter reports as a
// *ValidationError before any request.
func (f Filter) String() string {
	if f.err != nil {
		return invalidFilterMark + f.err.Error()
	}
	return f.expr
}

// Expr returns the expression built from the parts that are well formed,
// whatever Err says (for display; send String).
func (f Filter) Expr() string { return f.expr }

// Err reports a misuse of the builder anywhere in the expression, nil when the
// expression is well formed.
func (f Filter) Err() error { return f.err }

// IsZero reports whether the Filter is empty (no condition).
func (f Filter) IsZero() bool { return f.expr == "" && f.err == nil }

// And returns f and every g (see the package function And).
func (f Filter) And(g ...Filter) Filter { return And(append([]Filter{f}, g...)...) }

// Or returns f or any g (see the package function Or).
func (f Filter) Or(g ...Filter) Filter { return Or(append([]Filter{f}, g...)...) }

// ActionAlias matches activities whose action.alias equals alias.
func ActionAlias(alias string) Filter { return eq("action.alias", alias) }

// ActionAliasIn matches activities whose action.alias is one of aliases.
func ActionAliasIn(aliases ...string) Filter { return in("action.alias", aliases) }

// ActionID matches activities whose action.id equals id.
func ActionID(id string) Filter { return eq("action.id", id) }

// ActionIDIn matches activities whose action.id is one of ids.
func ActionIDIn(ids ...string) Filter { return in("action.id", ids) }

// PerformerID matches activities whose performer.id equals id.
func PerformerID(id string) Filter { return eq("performer.id", id) }

// PerformerIDIn matches activities whose performer.id is one of ids.
func PerformerIDIn(ids ...string) Filter { return in("performer.id", ids) }

// TargetID matches activities with a target whose id equals id.
func TargetID(id string) Filter { return eq("target.id", id) }

// TargetIDIn matches activities with a target whose id is one of ids.
func TargetIDIn(ids ...string) Filter { return in("target.id", ids) }

// ActivityDateTime compares activityDateTime with t (sent in UTC, RFC 3339,
// fractional seconds only when t has them).
func ActivityDateTime(op Op, t time.Time) Filter {
	switch op {
	case OpEq, OpLt, OpGt, OpLe, OpGe:
	default:
		return Filter{err: fmt.Errorf("workiva: Filter: ActivityDateTime: unknown operator %q (use OpEq, OpLt, OpGt, OpLe or OpGe)", string(op))}
	}
	if t.IsZero() {
		return Filter{err: errors.New("workiva: Filter: ActivityDateTime: time is zero")}
	}
	return Filter{expr: "activityDateTime " + string(op) + " " + t.UTC().Format(time.RFC3339Nano)}
}

// Between matches activities with from <= activityDateTime < to. A to that
// is not after from matches nothing: it makes the Filter invalid (see Err).
func Between(from, to time.Time) Filter {
	f := And(ActivityDateTime(OpGe, from), ActivityDateTime(OpLt, to))
	if f.err == nil && !to.After(from) {
		f.err = fmt.Errorf("workiva: Filter: Between: the end %s is not after the start %s",
			to.UTC().Format(time.RFC3339Nano), from.UTC().Format(time.RFC3339Nano))
	}
	return f
}

// And matches what every filter matches. Empty filters are skipped; And of
// nothing is the empty Filter.
func And(fs ...Filter) Filter { return join(" and ", false, fs) }

// Or matches what any filter matches. Empty filters are skipped; Or of
// nothing is the empty Filter.
func Or(fs ...Filter) Filter { return join(" or ", true, fs) }

func join(sep string, or bool, fs []Filter) Filter {
	var kept []Filter
	var errs []error
	for _, f := range fs {
		if f.err != nil {
			errs = append(errs, f.err)
		}
		if f.expr != "" {
			kept = append(kept, f)
		}
	}
	err := errors.Join(errs...)
	if len(kept) == 1 {
		k := kept[0]
		k.err = err
		return k
	}
	parts := make([]string, len(kept))
	for i, f := range kept {
		parts[i] = f.expr
		if f.or && !or {
			parts[i] = "(" + f.expr + ")"
		}
	}
	return Filter{expr: strings.Join(parts, sep), or: or && len(kept) > 1, err: err}
}

func eq(field, v string) Filter { return Filter{expr: field + " eq " + quote(v)} }

func in(field string, vs []string) Filter {
	if len(vs) == 0 {
		return Filter{err: fmt.Errorf("workiva: Filter: %s in: no values", field)}
	}
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quote(v)
	}
	return Filter{expr: field + " in (" + strings.Join(q, ", ") + ")"}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
