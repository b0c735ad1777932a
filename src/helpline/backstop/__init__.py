"""The backstop reader: a second classifier, inside the gateway, for when the bot is down.

The safety screen alone reads about two thirds of unseen danger-now messages as RED (session 6);
the bot reads most of the rest. When Rasa or the action server is down or too slow, this reader
stands in for the bot's judgement: trained at build time on the same examples (data/nlu) over
the same kinds of features, it gives a level and a topic from which the gateway escalates and
signposts. It needs nothing but this process.
"""
