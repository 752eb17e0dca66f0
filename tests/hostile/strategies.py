"""What a hostile visitor types: NUL bytes, control characters, any Unicode, far too
much, and the near misses of real values."""

from hypothesis import strategies as st

NASTY = ["\x00", "%00", "\x00" * 3, "'; DROP TABLE x; --", "\u202e", "\ud7ff", "../" * 5]

hostile_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=60, max_size=300),
    st.sampled_from(NASTY),
    st.builds(
        lambda a, n, b: a + n + b,
        st.text(max_size=20),
        st.sampled_from(NASTY),
        st.text(max_size=20),
    ),
    st.integers(min_value=65, max_value=12000).map(lambda n: "A" * n),
)
