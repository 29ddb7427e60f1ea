from tests.unit.adapters.test_fallback_model import PROMPT, CountingModel
from twin.adapters.deferred_model import DeferredModel
from twin.ports import ChatModel


def test_the_model_is_made_on_the_first_answer_and_only_once() -> None:
    made: list[CountingModel] = []

    def make() -> ChatModel:
        made.append(CountingModel())
        return made[-1]

    deferred = DeferredModel(make)
    assert made == []

    first, second = deferred.answer(PROMPT), deferred.answer(PROMPT)

    assert len(made) == 1
    assert made[0].calls == 2
    assert first.text == second.text == "I write Go."
