from intake.wording import counted


def test_counted_says_one_and_many_in_plain_english():
    assert counted(1, "flag") == "1 flag"
    assert counted(0, "flag") == "0 flags"
    assert counted(3, "flag") == "3 flags"
    assert counted(2, "intake") == "2 intakes"
    assert counted(2, "summary", "summaries") == "2 summaries"
