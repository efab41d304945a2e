package engine

import (
	"encoding/binary"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toValue converts the input document like ast.InterfaceToValue, except
// that []int (the crontab view's time sets) is converted directly and each
// distinct list once: a crontab of 400k jobs holds a few distinct "*"
// expansions, and OPA would otherwise round-trip every list through JSON
// and keep a copy of its numbers per job. Terms are immutable during
// evaluation, so sharing them is safe.
func toValue(doc map[string]any) (ast.Value, error) {
	return newConverter().value(doc)
}

// Value converts one input document on the calling goroutine (Input
// converts hosts in parallel): for documents converted side by side, one
// per core, as EvalEach's workers do.
func Value(doc map[string]any) (ast.Value, error) { return toValue(doc) }

// newConverter is one converter; each goroutine converting hosts in
// parallel has its own (its table of shared lists is not locked).
func newConverter() *converter { return &converter{ints: map[string]*ast.Term{}} }

type converter struct {
	ints map[string]*ast.Term
	key  []byte
}

func (c *converter) value(x any) (ast.Value, error) {
	switch x := x.(type) {
	case map[string]any:
		kvs := make([][2]*ast.Term, 0, len(x))
		for k, v := range x {
			t, err := c.term(v)
			if err != nil {
				return nil, err
			}
			kvs = append(kvs, [2]*ast.Term{ast.InternedTerm(k), t})
		}
		return ast.NewObject(kvs...), nil
	case []any:
		ts := make([]*ast.Term, len(x))
		for i, v := range x {
			t, err := c.term(v)
			if err != nil {
				return nil, err
			}
			ts[i] = t
		}
		return ast.NewArray(ts...), nil
	case []int:
		return c.intList(x).Value, nil
	}
	return ast.InterfaceToValue(x)
}

func (c *converter) term(x any) (*ast.Term, error) {
	if l, ok := x.([]int); ok {
		return c.intList(l), nil
	}
	v, err := c.value(x)
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(v), nil
}

func (c *converter) intList(l []int) *ast.Term {
	c.key = c.key[:0]
	for _, n := range l {
		c.key = binary.AppendVarint(c.key, int64(n))
	}
	if t, ok := c.ints[string(c.key)]; ok {
		return t
	}
	ts := make([]*ast.Term, len(l))
	for i, n := range l {
		ts[i] = ast.InternedTerm(n)
	}
	t := ast.ArrayTerm(ts...)
	c.ints[string(c.key)] = t
	return t
}
