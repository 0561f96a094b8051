"""The worked agent (agent/illustrator.py): a LangChain agent whose tools are this project's, in process and over
MCP, illustrates a story in three pictures. A scripted tool-calling model stands in for the LLM."""

import asyncio

import pytest
from PIL import Image

from agent.illustrator import aillustrate, build_illustrator, illustrate, inprocess_tools, mcp_tools
from tests.fakes import ToolCaller

STORY = "A yellow star rose over the sea. It met a red circle. At night they drew stripes together."
SCENES = ["a yellow star on a purple background", "a red circle on a white background", "red and white stripes"]


def script(draw_tool):
    """select, then draw, for each scene; then the final answer."""
    turns = []
    for scene in SCENES:
        turns.append([("select_model", {"request": scene})])
        turns.append([draw_tool(scene)])
    return turns + ["Three pictures: the star, the circle and the stripes."]


def test_the_agent_draws_three_pictures_with_the_in_process_tools(tmp_path):
    tools = inprocess_tools(catalog="starter", home=str(tmp_path))
    names = {t.name for t in tools}
    assert {"select_model", "starter-shapes", "starter-patterns"} <= names
    drawers = {SCENES[0]: "starter-shapes", SCENES[1]: "starter-shapes", SCENES[2]: "starter-patterns"}
    model = ToolCaller(turns=script(lambda s: (drawers[s], {"prompt": s, "seed": 1, "steps": 4})))
    out = illustrate(build_illustrator(tools, chat_model=model), STORY)
    assert len(out["images"]) == 3 and out["reply"].startswith("Three pictures")
    assert all(Image.open(p).size == (256, 256) for p in out["images"])


@pytest.mark.slow  # starts `dgpt mcp` over stdio
def test_the_same_agent_works_through_mcp(tmp_path):
    tools = asyncio.run(mcp_tools(catalog="starter", home=str(tmp_path)))
    assert {"select_model", "generate_image", "refine_image"} <= {t.name for t in tools}
    model = ToolCaller(turns=script(lambda s: ("generate_image", {"prompt": s, "seed": 1, "steps": 4})))
    out = asyncio.run(aillustrate(build_illustrator(tools, chat_model=model), STORY))
    assert len(out["images"]) == 3


def test_without_a_chat_model_or_endpoint_it_says_how_to_configure():
    with pytest.raises(RuntimeError, match="DGPT_LLM_BASE_URL"):
        build_illustrator([])
