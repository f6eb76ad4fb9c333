"""The personas of the permission matrix, in column order, and the row
helper shared by test_matrix.py and the matrix_<feature>.py modules."""

P = ("anon", "owner", "orgpro", "std_noseat", "std_view", "seat", "v1",
     "v2", "other")


def row(*codes):
    assert len(codes) == len(P)
    return dict(zip(P, codes))
